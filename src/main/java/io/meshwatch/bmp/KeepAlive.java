package io.meshwatch.bmp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.net.ExtendedSocketOptions;
import org.jboss.logging.Logger;

/**
 * TCP keep-alive timing on an accepted BMP connection, so that a router behind a cut link (no FIN, no
 * reset) is noticed within {@code idle + count * interval} seconds. Vert.x 4.5 applies its own
 * {@code tcpKeepAliveIdleSeconds} only with the native epoll transport; on the JDK (NIO) transport the
 * options are set here through Netty's {@link NioChannelOption} with the JDK's
 * {@link ExtendedSocketOptions} (Linux and macOS support them). Where they cannot be set, one warning is
 * logged and the operating system's keep-alive timing applies (Linux: 2 hours idle).
 */
final class KeepAlive {

    private static final Logger LOG = Logger.getLogger(KeepAlive.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private KeepAlive() {
    }

    static void apply(NetSocket socket, int idle, int interval, int count) {
        if (!(socket instanceof NetSocketInternal internal)) {
            warn("the socket is no NetSocketInternal");
            return;
        }
        Channel ch = internal.channelHandlerContext().channel();
        try {
            ch.config().setOption(ChannelOption.SO_KEEPALIVE, true);
            boolean set = ch.config().setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), idle)
                    & ch.config().setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), interval)
                    & ch.config().setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), count);
            if (!set && !ch.getClass().getName().contains("Epoll")) {
                warn("the transport (" + ch.getClass().getSimpleName() + ") does not take them");
            }
        } catch (RuntimeException | LinkageError e) {
            warn(e.toString());
        }
    }

    private static void warn(String why) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warnf("BMP: cannot set TCP keep-alive timing (%s); a cut link to a router is noticed only after "
                    + "the operating system's keep-alive time", why);
        }
    }
}
