/**
 * The network simulator: routers of an inventory (the demo network by default) that produce the
 * canonical events real ones would, and scenarios that break and repair them on a timeline.
 *
 * <p>Layers: {@link io.meshwatch.sim.NetworkBuilder} derives an immutable
 * {@link io.meshwatch.sim.SimNetwork} from the inventory; {@link io.meshwatch.sim.RouteModel}
 * computes what each router receives once BGP has converged; {@link io.meshwatch.sim.Simulator}
 * (with {@code SimState}, {@code BgpControl}, {@code BgpOutbox}, {@code Telemetry}) plays it on a
 * {@link java.time.Clock} into a {@link io.meshwatch.sim.SimSink}; {@link io.meshwatch.sim.ScenarioPlanner}
 * turns a request into a {@link io.meshwatch.sim.ScenarioPlan}. All of that is plain Java, tested
 * with a clock the test moves. {@link io.meshwatch.sim.SimRunner} (the simulator's thread, scenario
 * hand-over) and {@link io.meshwatch.sim.ScenarioApi} (the scenario API's requests, answers and
 * refusals) are plain too, shared by the two ways it runs: in the service, through the thin adapters
 * {@link io.meshwatch.sim.SimulatorService} and {@link io.meshwatch.sim.ScenarioResource}, and alone
 * ({@code bin/sim run}), through {@link io.meshwatch.sim.StandaloneSimulator}, a plain main with the
 * JDK's HTTP server. Both send through {@link io.meshwatch.sim.KafkaSimSink}.
 *
 * <p>Invariants: every event the simulator writes decodes with {@link io.meshwatch.event.EventCodec};
 * each router's BGP events leave in the order they happen (established, table, End-of-RIB; a
 * withdrawal after the announcement it undoes) through one FIFO, and the producer keeps that order
 * per key; what a router was told is the diff base of everything it is told next; a scenario always
 * ends with the network restored; two runs never act on the same circuit, tunnel, session or
 * router at once.
 *
 * <p>Threading: one simulator per JVM, confined to the thread {@code meshwatch-simulator} that
 * {@link io.meshwatch.sim.SimRunner} starts: the network state, the outbox and the random generator
 * are touched only there. The network and the
 * planner are immutable and used from request threads to validate and plan; plans reach the
 * simulator's thread through a concurrent queue. {@link io.meshwatch.sim.ScenarioRuns} is the only
 * shared mutable state and synchronises itself.
 */
package io.meshwatch.sim;
