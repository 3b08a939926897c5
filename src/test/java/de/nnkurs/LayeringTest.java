package de.nnkurs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The packages depend one way, as docs/ARCHITECTURE.md draws them. */
class LayeringTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importTheProject() {
        classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("de.nnkurs");
    }

    @Test
    void packagesDependOnlyDownward() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("lesson")
                .definedBy("de.nnkurs")
                .layer("serving")
                .definedBy("de.nnkurs.serving..")
                .layer("io")
                .definedBy("de.nnkurs.io..")
                .layer("plot")
                .definedBy("de.nnkurs.plot..")
                .layer("data")
                .definedBy("de.nnkurs.data..")
                .layer("model")
                .definedBy("de.nnkurs.model..")
                .layer("training")
                .definedBy("de.nnkurs.training..")
                .layer("export")
                .definedBy("de.nnkurs.export..")
                .layer("evaluation")
                .definedBy("de.nnkurs.evaluation..")
                .layer("run")
                .definedBy("de.nnkurs.run..")
                .layer("compare")
                .definedBy("de.nnkurs.compare..")
                .layer("slides")
                .definedBy("de.nnkurs.slides..")
                .layer("bench")
                .definedBy("de.nnkurs.bench..")
                .layer("web")
                .definedBy("de.nnkurs.web..")
                .layer("cli")
                .definedBy("de.nnkurs.cli..")
                .whereLayer("cli")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("web")
                .mayOnlyBeAccessedByLayers("cli")
                .whereLayer("bench")
                .mayOnlyBeAccessedByLayers("cli")
                .whereLayer("slides")
                .mayOnlyBeAccessedByLayers("cli")
                .whereLayer("run")
                .mayOnlyBeAccessedByLayers("slides", "bench", "cli")
                .whereLayer("compare")
                .mayOnlyBeAccessedByLayers("run", "slides", "bench", "cli")
                .whereLayer("evaluation")
                .mayOnlyBeAccessedByLayers("slides", "bench", "web", "cli")
                .whereLayer("export")
                .mayOnlyBeAccessedByLayers("evaluation", "run", "slides", "bench", "web", "cli")
                .whereLayer("training")
                .mayOnlyBeAccessedByLayers(
                        "export", "evaluation", "compare", "run", "slides", "bench", "web", "cli")
                .whereLayer("model")
                .mayOnlyBeAccessedByLayers(
                        "training",
                        "export",
                        "evaluation",
                        "compare",
                        "run",
                        "slides",
                        "bench",
                        "web",
                        "cli")
                .whereLayer("data")
                .mayOnlyBeAccessedByLayers(
                        "model",
                        "training",
                        "export",
                        "evaluation",
                        "compare",
                        "run",
                        "slides",
                        "bench",
                        "web",
                        "cli")
                .whereLayer("serving")
                .mayNotAccessAnyLayer()
                .whereLayer("io")
                .mayOnlyAccessLayers("lesson")
                .whereLayer("plot")
                .mayOnlyAccessLayers("io", "lesson")
                .whereLayer("lesson")
                .mayNotAccessAnyLayer()
                .because("the core (data, model, training) must not know its front ends")
                .check(classes);
    }

    @Test
    void theServedTranslatorNeedsOnlyTheJdkAndDjlsApi() {
        // The export copies de.nnkurs.serving, and nothing else, into the jar DJL Serving loads.
        classes()
                .that()
                .resideInAPackage("de.nnkurs.serving..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "java..",
                        "javax..",
                        "de.nnkurs.serving..",
                        "ai.djl",
                        "ai.djl.inference..",
                        "ai.djl.modality..",
                        "ai.djl.ndarray..",
                        "ai.djl.translate..",
                        "ai.djl.util..")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("de.nnkurs.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theLessonPackageDependsOnNoOtherPackageOfTheProject() {
        noClasses()
                .that()
                .resideInAPackage("de.nnkurs")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("de.nnkurs.(*)..")
                .check(classes);
    }

    @Test
    void theCommandLineLeavesTrainingToTheLibrary() {
        noClasses()
                .that()
                .resideInAPackage("de.nnkurs.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("ai.djl.training..", "ai.djl.nn..", "ai.djl.ndarray..")
                .because("commands parse, call the library and print")
                .check(classes);
    }

    @Test
    void theCommandLineLeavesCheckpointsAndThreadsToTheLibrary() {
        noClasses()
                .that()
                .resideInAPackage("de.nnkurs.cli..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("de.nnkurs.training.Checkpoints")
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage("ai.djl.pytorch..")
                .because("resuming, checkpoints and the thread count are the run's policy")
                .check(classes);
    }
}
