package io.meshwatch.testing;

import io.meshwatch.detect.DetectionListener;
import io.meshwatch.detect.Incident;
import io.meshwatch.detect.Signal;
import io.meshwatch.detect.Switchover;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A detection listener that keeps everything the engine emitted, in order, for comparing two engines. */
public class RecordingListener implements DetectionListener {

    /** A failover or failback measurement, as the listener got it. */
    public record Measured(String kind, String group, Switchover switchover, Duration objective) {
    }

    /** Signals, incidents and measurements, in the order they were emitted. */
    public final List<Object> out = new ArrayList<>();

    @Override
    public void signal(Signal signal) {
        out.add(signal);
    }

    @Override
    public void incident(Incident incident) {
        out.add(incident);
    }

    @Override
    public void failoverMeasured(String group, Switchover failover, Duration objective) {
        out.add(new Measured("failover", group, failover, objective));
    }

    @Override
    public void failbackMeasured(String group, Switchover failback) {
        out.add(new Measured("failback", group, failback, null));
    }
}
