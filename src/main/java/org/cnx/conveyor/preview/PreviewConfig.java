package org.cnx.conveyor.preview;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Pull request previews ({@code conveyor.previews.*}). */
@ConfigMapping(prefix = "conveyor.previews")
public interface PreviewConfig {

    /** The template previews are made from, relative to the environments directory. */
    @WithDefault("templates/preview.yml")
    String template();

    /** Time-to-live of a preview when its template sets no {@code ttl}; it restarts on every deploy. */
    @WithDefault("48h")
    Duration defaultTtl();

    /** How often previews past their time-to-live are looked for. */
    @WithDefault("1m")
    Duration sweepEvery();

    /** How often the jobs of deploying previews are looked at (to report their outcome). */
    @WithDefault("1s")
    Duration watchEvery();

    Labels labels();

    /** Which pull requests get a preview ({@code conveyor.previews.labels.*}). */
    interface Labels {

        /** {@code all}, {@code only-with} (only pull requests carrying the label) or {@code all-except} (all but those). */
        @WithDefault("all")
        String rule();

        /** The label the rule looks for. */
        @WithDefault("preview")
        String label();
    }
}
