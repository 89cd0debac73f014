package io.meshwatch.strongswan;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A blocking vici connection to charon over its Unix socket (JDK 16+ Unix-domain channels). One thread
 * uses it: register for events, issue a command, read the event stream.
 */
public final class ViciClient implements AutoCloseable {

    private final SocketChannel channel;

    private ViciClient(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects to charon's vici socket (for example {@code /var/run/charon.vici}). */
    public static ViciClient connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new ViciClient(ch);
    }

    /** Registers for an event; fails unless charon confirms it. */
    public void register(String event) throws IOException, ViciFormatException {
        write(Vici.encode(Vici.EVENT_REGISTER, event, null));
        Vici.Packet p = read();
        if (p.type() == Vici.EVENT_UNKNOWN) {
            throw new IOException("charon does not know the vici event '" + event + "'");
        }
        if (p.type() != Vici.EVENT_CONFIRM) {
            throw new IOException("charon answered the registration of '" + event + "' with packet type " + p.type());
        }
    }

    /**
     * Issues a command and returns its response; events that arrive meanwhile (a streaming command's
     * {@code list-sa}, say, registered beforehand) go to {@code events}.
     */
    public Map<String, Object> command(String command, Map<String, ?> message, Consumer<Vici.Packet> events)
            throws IOException, ViciFormatException {
        write(Vici.encode(Vici.CMD_REQUEST, command, message == null ? Map.of() : message));
        while (true) {
            Vici.Packet p = read();
            switch (p.type()) {
                case Vici.EVENT -> events.accept(p);
                case Vici.CMD_RESPONSE -> {
                    return p.message();
                }
                case Vici.CMD_UNKNOWN -> throw new IOException("charon does not know the vici command '" + command + "'");
                default -> throw new IOException("unexpected vici packet type " + p.type() + " after '" + command + "'");
            }
        }
    }

    /** Reads the next packet; blocks. */
    public Vici.Packet read() throws IOException, ViciFormatException {
        byte[] prefix = new byte[4];
        readFully(prefix);
        byte[] body = new byte[Vici.length(prefix)];
        readFully(body);
        return Vici.decode(body);
    }

    private void readFully(byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) {
            if (channel.read(buf) < 0) {
                throw new IOException("charon closed the vici connection");
            }
        }
    }

    private void write(byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
