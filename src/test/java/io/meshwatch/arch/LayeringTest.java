package io.meshwatch.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md ("Layers"), checked on the compiled classes: each rule is
 * its own test, named for it, and a change that breaks one fails with the rule's text and the
 * classes and lines that break it.
 */
class LayeringTest {

    /** The plain cores: domain logic with an injected clock, no framework (docs/architecture.md, "Layers"). */
    static final String[] CORES = {"io.meshwatch.routing..", "io.meshwatch.event..", "io.meshwatch.bgp..",
        "io.meshwatch.shard..", "io.meshwatch.facts.."};

    /** The detection core is {@code detect}; its adapter is {@code detect.runtime}. */
    static final String DETECT_CORE = "io.meshwatch.detect";

    /** Frameworks and infrastructure clients a plain core must not touch. */
    static final String[] FRAMEWORKS = {"io.quarkus..", "io.vertx..", "io.smallrye..", "jakarta..",
        "org.apache.kafka..", "io.micrometer..", "org.hibernate..", "org.eclipse.microprofile..", "org.jboss.."};

    /** Adapters, inputs and tools: what a core never depends on. */
    static final String[] OUTER = {"io.meshwatch.api..", "io.meshwatch.alerting..", "io.meshwatch.notify..",
        "io.meshwatch.audit..", "io.meshwatch.auth..", "io.meshwatch.ingest..", "io.meshwatch.cluster..",
        "io.meshwatch.dev..", "io.meshwatch.history..", "io.meshwatch.sim..", "io.meshwatch.bmp..",
        "io.meshwatch.mrt..", "io.meshwatch.exabgp..", "io.meshwatch.gnmi..", "io.meshwatch.relay..",
        "io.meshwatch.strongswan..", "io.meshwatch.detect.runtime.."};
    // not yet here: rib (RibService, the route tables the shard stage applies events to, shares its
    // package with the snapshot and Kafka adapters: issue 20 splits it), inventory and network (their
    // records are the cores' vocabulary, beside their stores)

    static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.meshwatch");
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.meshwatch.(**)").should().beFreeOfCycles()
                .because("packages depend one way (docs/architecture.md, \"Layers\"); a cycle makes two packages one")
                .check(classes);
    }

    @Test
    void thePlainCoresUseNoFramework() {
        noClasses().that().resideInAnyPackage(CORES).or().resideInAPackage(DETECT_CORE)
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                .because("the cores are plain Java on an injected clock; Kafka, HTTP, the database and CDI are the "
                        + "adapters' (docs/architecture.md, \"Layers\")")
                .check(classes);
    }

    @Test
    void theCoresDependOnNoAdapterInputOrTool() {
        noClasses().that().resideInAnyPackage(CORES).or().resideInAPackage(DETECT_CORE)
                .should().dependOnClassesThat().resideInAnyPackage(OUTER)
                .because("adapters call the cores, never the other way (docs/architecture.md, \"Layers\")")
                .check(classes);
    }

    @Test
    void onlyTheApiAndItsFiltersDependOnTheApi() {
        noClasses().that().resideOutsideOfPackages("io.meshwatch.api..", "io.meshwatch.auth..",
                        "io.meshwatch.audit..")
                .should().dependOnClassesThat().resideInAPackage("io.meshwatch.api..")
                .because("the REST API is the outermost adapter: the capabilities do not know it (the key filter "
                        + "and the audit filter answer with its error body)")
                .check(classes);
    }
}
