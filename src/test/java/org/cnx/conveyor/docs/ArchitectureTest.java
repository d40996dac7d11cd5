package org.cnx.conveyor.docs;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package rules of docs/architecture.md ("Package dependencies"): no cycles, and none of the "never" arrows. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.cnx.conveyor");
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        slices().matching("org.cnx.conveyor.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void commonIsALeaf() {
        noClasses()
                .that()
                .resideInAPackage("org.cnx.conveyor.common..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages(
                        "org.cnx.conveyor.common..",
                        "java..",
                        "jakarta..",
                        "io.smallrye..",
                        "io.quarkus..",
                        "org.eclipse..")
                .check(classes);
    }

    @Test
    void transportsKnowNeitherDeploysNorPagesNorDefinitions() {
        noClasses()
                .that()
                .resideInAPackage("org.cnx.conveyor.transport..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.cnx.conveyor.deploy..",
                        "org.cnx.conveyor.web..",
                        "org.cnx.conveyor.job..",
                        "org.cnx.conveyor.environment..")
                .check(classes);
    }

    @Test
    void deploysKnowNeitherPreviewsNorPromotions() {
        noClasses()
                .that()
                .resideInAPackage("org.cnx.conveyor.deploy..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.cnx.conveyor.preview..", "org.cnx.conveyor.promote..", "org.cnx.conveyor.clone..")
                .check(classes);
    }

    @Test
    void eventsKnowNothingOfDeploys() {
        noClasses()
                .that()
                .resideInAPackage("org.cnx.conveyor.events..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.cnx.conveyor.deploy..", "org.cnx.conveyor.job..")
                .check(classes);
    }

    @Test
    void theMigrationEngineStandsAlone() {
        String[] engine = {"org.cnx.conveyor.migrate.engine..", "org.cnx.conveyor.migrate.schema.."};
        noClasses()
                .that()
                .resideInAnyPackage(engine)
                .should()
                .dependOnClassesThat(resideInAPackage("org.cnx.conveyor..")
                        .and(not(resideInAnyPackage(engine)))
                        // The leaf of shared values (the migration formats), which depends on nothing of Conveyor's.
                        .and(not(resideInAPackage("org.cnx.conveyor.common"))))
                .check(classes);
    }

    @Test
    void servicesRefuseWithDomainExceptionsAndLeaveHttpToTheWebEdge() {
        noClasses()
                .that()
                .resideOutsideOfPackage("org.cnx.conveyor.web..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.cnx.conveyor.web.ProblemException")
                .check(classes);
    }

    @Test
    void nothingLeansOnFlywaysInternals() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.flywaydb.core.internal..")
                .check(classes);
    }
}
