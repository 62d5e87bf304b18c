package io.kairos.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class CsvTableTest {
    private static CsvTable parse(String text) throws IOException {
        return CsvTable.read(new StringReader(text));
    }

    @Test
    void readsQuotedFieldsWithCommasQuotesAndLineBreaks() throws IOException {
        CsvTable t = parse("id,name,note\r\n1,\"Smith, J\",\"said \"\"hi\"\"\"\r\n2,\"multi\r\nline\",x\r\n");
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.get(0, t.column("name"))).isEqualTo("Smith, J");
        assertThat(t.get(0, t.column("note"))).isEqualTo("said \"hi\"");
        assertThat(t.get(1, t.column("name"))).isEqualTo("multi\r\nline");
    }

    @Test
    void crlfAndLfLineEndsGiveTheSameCells() throws IOException {
        CsvTable crlf = parse("a,b\r\n1,x\r\n2,y\r\n");
        CsvTable lf = parse("a,b\n1,x\n2,y\n");
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) {
                assertThat(crlf.get(r, c)).isEqualTo(lf.get(r, c));
            }
        }
        assertThat(crlf.get(1, 1)).isEqualTo("y");
    }

    @Test
    void emptyNaAndShortRowsAreMissing() throws IOException {
        CsvTable t = parse("a,b,c\n1,,NA\n2, \n\n3,n/a,null\n");
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.get(0, 1)).isNull();
        assertThat(t.get(0, 2)).isNull();
        assertThat(t.get(1, 1)).isNull();
        assertThat(t.get(1, 2)).isNull();
        assertThat(t.get(2, 1)).isNull();
        assertThat(t.get(2, 2)).isNull();
        assertThat(t.get(2, 0)).isEqualTo("3");
    }

    @Test
    void byteOrderMarkIsNotPartOfTheFirstColumnName() throws IOException {
        CsvTable t = parse("\uFEFFrecency,visit\n1,0\n");
        assertThat(t.hasColumn("recency")).isTrue();
    }

    @Test
    void rowWithMoreFieldsThanHeaderIsRejected() {
        assertThatThrownBy(() -> parse("a,b\n1,2,3\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("3 fields");
    }

    @Test
    void unknownColumnNamesTheKnownOnes() throws IOException {
        CsvTable t = parse("a,b\n1,2\n");
        assertThatThrownBy(() -> t.column("z")).hasMessageContaining("a, b");
    }

    @Test
    void duplicateHeaderIsRejected() {
        assertThatThrownBy(() -> parse("a,a\n1,2\n")).hasMessageContaining("duplicate");
    }
}
