package org.cnx.conveyor.promote;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How promotions and approvals behave, under {@code conveyor.promotions.}; the stages themselves are {@code conveyor.stages}. */
@ConfigMapping(prefix = "conveyor.promotions")
public interface PromotionConfig {

    /** How long an approval counts; an older one must be given again ({@code conveyor.promotions.approval-ttl}). */
    @WithDefault("PT24H")
    Duration approvalTtl();

    /** Whether the lead who requested a promotion may also approve it ({@code conveyor.promotions.allow-self-approval}). */
    @WithDefault("false")
    boolean allowSelfApproval();

    /**
     * Stages a release may be promoted to without having succeeded in the stage before
     * ({@code conveyor.promotions.open-stages}); the first stage of the pipeline always is.
     */
    Optional<List<String>> openStages();
}
