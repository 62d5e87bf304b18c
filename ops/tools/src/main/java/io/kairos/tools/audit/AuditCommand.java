package io.kairos.tools.audit;

import io.kairos.tools.CommandGroup;
import picocli.CommandLine.Command;

/** {@code ./kairos audit}: the auditor's commands against a running node. */
@Command(
        name = "audit",
        description =
                "The auditor's commands against a running node (keys from KAIROS_API_KEYS: an auditor or admin key).",
        subcommands = {AuditReplayCommand.class})
public final class AuditCommand extends CommandGroup {
    public AuditCommand() {
        super("name an audit command: replay");
    }
}
