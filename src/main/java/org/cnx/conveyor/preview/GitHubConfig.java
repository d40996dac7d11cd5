package org.cnx.conveyor.preview;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The GitHub webhook, commit statuses and builds of commits ({@code conveyor.github.*}). */
@ConfigMapping(prefix = "conveyor.github")
public interface GitHubConfig {

    /** The webhook's secret, as entered on GitHub; without it every delivery is refused with 401. */
    Optional<String> webhookSecret();

    /** Largest webhook body accepted, in bytes; larger ones get 413 before anything is read into memory. */
    @WithDefault("1048576")
    int maxPayload();

    /** Base URL of the GitHub REST API (GitHub Enterprise: {@code https://HOST/api/v3}). */
    @WithDefault("https://api.github.com")
    String apiUrl();

    /** Token used to report commit statuses (needs the "Commit statuses: write" permission); none means no reports. */
    Optional<String> token();

    /** Conveyor's address as people on GitHub reach it; links in commit statuses start with it. */
    @WithDefault("http://localhost:8080")
    String conveyorUrl();

    /** The {@code context} of commit statuses, the name GitHub shows beside them. */
    @WithDefault("conveyor/preview")
    String statusContext();

    /** How many times a commit status is tried before it is given up. */
    @WithDefault("8")
    int statusAttempts();

    /** Wait before the first retry of a commit status; it doubles with each further try. */
    @WithDefault("5s")
    Duration statusRetryDelay();

    /** How often waiting commit statuses are sent. */
    @WithDefault("1s")
    Duration statusSendEvery();

    /**
     * The repository → component map: {@code conveyor.github.components."openstax/webview"=webview} (several
     * components comma-separated). A pull request or push in a listed repository builds only its components, into a
     * release that takes every other component from the dev stage's release. Empty: every repository's build makes
     * the whole release; otherwise deliveries of unlisted repositories are ignored.
     */
    Map<String, String> components();

    Build build();

    Push push();

    /** How a release is made from a commit ({@code conveyor.github.build.*}). */
    interface Build {

        /**
         * Shell command run in a sandbox (as an unprivileged uid of its own, none of Conveyor's files visible), in a
         * copy of the {@link #workspace()}, with {@code CONVEYOR_COMMIT}, {@code CONVEYOR_BRANCH},
         * {@code CONVEYOR_PULL_REQUEST}, {@code CONVEYOR_REPOSITORY}, {@code CONVEYOR_COMPONENTS} and an empty folder
         * {@code CONVEYOR_BUILD_DIR}; prints one line per component: {@code <component> <version> <sha256> <file>}.
         * The default packages the sample stack.
         */
        @WithDefault(
                "sh package.sh \"$CONVEYOR_BUILD_DIR\" > \"$CONVEYOR_BUILD_DIR/artifacts.txt\" && grep -v '^db-previous ' \"$CONVEYOR_BUILD_DIR/artifacts.txt\"")
        String command();

        /**
         * Folder copied into each build's sandbox before the command runs (build scripts, a cache); relative to
         * Conveyor's working directory. The default is the sample stack in {@code examples/}.
         */
        @WithDefault("examples")
        String workspace();

        /** Longest a build may run. */
        @WithDefault("10m")
        Duration timeout();
    }

    /** Continuous deployment of pushed branches ({@code conveyor.github.push.*}). */
    interface Push {

        /** Branches whose pushes are built and deployed; pushes to other branches are ignored. */
        @WithDefault("main")
        List<String> branches();

        /** The environment of the {@code dev} stage that pushed branches are deployed to. */
        @WithDefault("demo")
        String environment();
    }
}
