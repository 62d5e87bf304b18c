package io.kairos.devcassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kairos.devcassandra.CassandraSchema.SchemaSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The checked-in schema files and their rendering, without a node. */
class SchemaFilesTest {

    private static final Pattern CREATE_TABLE = Pattern.compile("CREATE TABLE IF NOT EXISTS (\\w+)\\.(\\w+)");

    @Test
    void theFileListIsExactlyTheCheckedInCqlFilesAndTheJarCarriesThemUnchanged() throws IOException {
        var moduleDir = Path.of(System.getProperty("kairos.dev-cassandra.module-dir"));
        List<String> checkedIn;
        try (Stream<Path> files = Files.list(moduleDir)) {
            checkedIn = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".cql"))
                    .sorted()
                    .toList();
        }
        assertThat(CassandraSchema.FILES).isEqualTo(checkedIn);
        for (var file : checkedIn) {
            assertThat(CassandraSchema.read(file)).isEqualTo(Files.readString(moduleDir.resolve(file)));
        }
    }

    @Test
    void createsTheTablesOfAkkaPersistenceCassandraAndAkkaProjectionCassandraInTheirKeyspaces() {
        var settings = new SchemaSettings("j", "s", "k", SchemaSettings.simpleStrategy(1));

        Map<String, List<String>> tablesByKeyspace = CassandraSchema.statements(settings).stream()
                .map(CREATE_TABLE::matcher)
                .filter(java.util.regex.Matcher::find)
                .collect(Collectors.groupingBy(
                        m -> m.group(1), Collectors.mapping(m -> m.group(2), Collectors.toList())));

        assertThat(tablesByKeyspace).containsOnlyKeys("j", "s", "k");
        assertThat(tablesByKeyspace.get("j")).containsExactlyElementsOf(SchemaTables.JOURNAL);
        assertThat(tablesByKeyspace.get("s")).containsExactlyElementsOf(SchemaTables.SNAPSHOT);
        assertThat(tablesByKeyspace.get("k")).containsExactlyElementsOf(SchemaTables.KAIROS);
    }

    @Test
    void everyStatementIsIdempotentAndFullyRendered() {
        var replication = SchemaSettings.networkTopology(Map.of("eu", 3, "us", 2));

        var statements = CassandraSchema.statements(SchemaSettings.defaults().withReplication(replication));

        int keyspaces = 3;
        var creates =
                statements.stream().filter(cql -> cql.startsWith("CREATE")).toList();
        assertThat(creates)
                .hasSize(keyspaces
                        + SchemaTables.JOURNAL.size()
                        + SchemaTables.SNAPSHOT.size()
                        + SchemaTables.KAIROS.size())
                .allSatisfy(cql -> assertThat(cql).containsPattern("^CREATE (KEYSPACE|TABLE) IF NOT EXISTS "));
        // the rest add columns to tables an older version created, each also in its table's CREATE
        assertThat(statements.stream().filter(cql -> !cql.startsWith("CREATE"))).allSatisfy(cql -> {
            var added = java.util.regex.Pattern.compile("^ALTER TABLE kairos\\.(\\w+) ADD IF NOT EXISTS (\\w+) ")
                    .matcher(cql);
            assertThat(added.find()).as(cql).isTrue();
            assertThat(creates)
                    .as("the CREATE of %s has %s", added.group(1), added.group(2))
                    .anySatisfy(create -> assertThat(create)
                            .startsWith("CREATE TABLE IF NOT EXISTS kairos." + added.group(1) + " ")
                            .containsPattern("\\n\\s*" + added.group(2) + " "));
        });
        assertThat(statements).allSatisfy(cql -> assertThat(cql).doesNotContain("{{", "}}", ";"));
        assertThat(statements)
                .filteredOn(cql -> cql.startsWith("CREATE KEYSPACE"))
                .extracting(cql -> cql.replaceAll("\\s+", " "))
                .containsExactly(
                        "CREATE KEYSPACE IF NOT EXISTS kairos_journal WITH REPLICATION = " + replication,
                        "CREATE KEYSPACE IF NOT EXISTS kairos_snapshot WITH REPLICATION = " + replication,
                        "CREATE KEYSPACE IF NOT EXISTS kairos WITH REPLICATION = " + replication);
        assertThat(replication).isEqualTo("{'class': 'NetworkTopologyStrategy', 'eu': 3, 'us': 2}");
    }

    @Test
    void commentsAreDroppedAndStatementsSplitOnSemicolons() {
        var statements = CassandraSchema.split("-- a; comment\nCREATE A;\n\n  -- another\nCREATE B\n  (x);\n");

        assertThat(statements).containsExactly("CREATE A", "CREATE B\n  (x)");
    }

    @Test
    void anUnknownPlaceholderIsAnError() {
        assertThatThrownBy(() -> CassandraSchema.render("CREATE KEYSPACE {{typo_keyspace}}", SchemaSettings.defaults()))
                .hasMessageContaining("{{typo_keyspace}}");
    }

    @Test
    void keyspaceNamesAreWhatTheAkkaPluginsCanUseUnquoted() {
        assertThat(SchemaSettings.isolated("t1").keyspaces())
                .containsExactly("t1_kairos_journal", "t1_kairos_snapshot", "t1_kairos");
        // A prefix that spells another keyspace's name still gets keyspaces of its own.
        assertThat(SchemaSettings.isolated("journal").keyspaces())
                .doesNotContainAnyElementsOf(SchemaSettings.defaults().keyspaces())
                .doesNotContainAnyElementsOf(SchemaSettings.isolated("snapshot").keyspaces());
        assertThatThrownBy(() -> SchemaSettings.defaults().withKairosKeyspace("Kairos"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SchemaSettings.defaults().withJournalKeyspace("kairos-journal"))
                .isInstanceOf(IllegalArgumentException.class);
        // 33 characters + _kairos_snapshot is over Cassandra's 48.
        assertThatThrownBy(() -> SchemaSettings.isolated("x".repeat(33))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SchemaSettings.defaults().withReplication("SimpleStrategy"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
