package io.kairos.campaign;

import io.kairos.entity.Rejection;

/** Why a campaign refused a change of its definition, status or budget. */
public enum CampaignRejection implements Rejection {
    /** The body names another campaign than the entity's. */
    ID_MISMATCH,
    /** Another definition exists under this id. */
    EXISTS,
    /** The new budget is below what is reserved and spent. */
    BUDGET_BELOW_COMMITTED;

    public Kind kind() {
        return switch (this) {
            case ID_MISMATCH -> Kind.UNPROCESSABLE;
            case EXISTS -> Kind.CONFLICT;
            case BUDGET_BELOW_COMMITTED -> Kind.UNPROCESSABLE;
        };
    }
}
