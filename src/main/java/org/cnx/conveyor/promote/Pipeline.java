package org.cnx.conveyor.promote;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.cnx.conveyor.common.ConveyorConfig;
import org.cnx.conveyor.common.DomainException.Conflict;

/** The configured order of stages, and which stage a release must have passed before it may enter another. */
@ApplicationScoped
public class Pipeline {

    private final List<String> stages;
    private final List<String> open;

    Pipeline(ConveyorConfig config, PromotionConfig promotions) {
        this.stages = config.stages();
        this.open = promotions.openStages().orElse(List.of());
    }

    public List<String> stages() {
        return stages;
    }

    /** The stage a release must have succeeded in before entering {@code stage}; empty for the first and open stages. */
    public Optional<String> gateOf(String stage) {
        int index = stages.indexOf(stage);
        if (index < 0) {
            throw new Conflict("stage \"" + stage + "\" is not in the pipeline (conveyor.stages = "
                    + String.join(" → ", stages) + "); a release cannot be promoted to it");
        }
        if (index == 0 || open.contains(stage)) {
            return Optional.empty();
        }
        return Optional.of(stages.get(index - 1));
    }
}
