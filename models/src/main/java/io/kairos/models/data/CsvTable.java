package io.kairos.models.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * An immutable, column-named table of text cells read from a CSV file with a header row.
 *
 * <p>Invariants: every row has exactly {@link #columns()}.size() cells; a cell is {@code null} when it is missing
 * (empty, whitespace only, a short row, or one of the usual NA spellings), otherwise it is the trimmed text. Parsing is
 * RFC 4180 (quoted fields, embedded commas, quotes and line breaks, CRLF or LF line ends) via Apache Commons CSV; a
 * UTF-8 byte-order mark is skipped. Typing (numeric vs categorical) is decided later by the feature pipeline.
 */
public final class CsvTable {
    private static final java.util.Set<String> MISSING = java.util.Set.of("", "na", "n/a", "nan", "null");

    private final List<String> columns;
    private final Map<String, Integer> index;
    private final List<String[]> rows;

    private CsvTable(List<String> columns, List<String[]> rows) {
        this.columns = List.copyOf(columns);
        var idx = new HashMap<String, Integer>();
        for (int i = 0; i < columns.size(); i++) {
            if (idx.putIfAbsent(columns.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate column name: " + columns.get(i));
            }
        }
        this.index = Collections.unmodifiableMap(idx);
        this.rows = Collections.unmodifiableList(rows);
    }

    /** Reads a whole CSV file (header row first). */
    public static CsvTable read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader);
        }
    }

    /** Reads CSV text (header row first). */
    public static CsvTable read(Reader reader) throws IOException {
        var format = CSVFormat.RFC4180
                .builder()
                .setIgnoreEmptyLines(true)
                .setTrim(true)
                .build();
        try (CSVParser parser = CSVParser.parse(reader, format)) {
            List<String> header = null;
            var rows = new ArrayList<String[]>();
            for (CSVRecord record : parser) {
                if (header == null) {
                    header = new ArrayList<>();
                    for (int i = 0; i < record.size(); i++) {
                        String name = record.get(i);
                        if (i == 0 && name.startsWith("\uFEFF")) {
                            name = name.substring(1);
                        }
                        header.add(name.isEmpty() ? "column" + i : name);
                    }
                    continue;
                }
                if (record.size() > header.size()) {
                    throw new IOException("line " + record.getRecordNumber() + ": " + record.size()
                            + " fields but the header has " + header.size());
                }
                var cells = new String[header.size()];
                for (int i = 0; i < record.size(); i++) {
                    cells[i] = normalise(record.get(i));
                }
                rows.add(cells);
            }
            if (header == null) {
                throw new IOException("empty CSV: no header row");
            }
            return new CsvTable(header, rows);
        }
    }

    /** Builds a table from in-memory rows (cells are normalised the same way as parsed ones). */
    public static CsvTable of(List<String> columns, List<String[]> rows) {
        var copy = new ArrayList<String[]>(rows.size());
        for (String[] row : rows) {
            if (row.length != columns.size()) {
                throw new IllegalArgumentException("row has " + row.length + " cells, expected " + columns.size());
            }
            var cells = new String[row.length];
            for (int i = 0; i < row.length; i++) {
                cells[i] = normalise(row[i]);
            }
            copy.add(cells);
        }
        return new CsvTable(columns, copy);
    }

    private static String normalise(String cell) {
        if (cell == null) {
            return null;
        }
        String t = cell.trim();
        return MISSING.contains(t.toLowerCase(java.util.Locale.ROOT)) ? null : t;
    }

    public List<String> columns() {
        return columns;
    }

    public int size() {
        return rows.size();
    }

    /** The column's position; throws with the known columns listed when it does not exist. */
    public int column(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException(
                    "no column '" + name + "' (columns: " + String.join(", ", columns) + ")");
        }
        return i;
    }

    public boolean hasColumn(String name) {
        return index.containsKey(name);
    }

    /** The cell, or {@code null} when missing. */
    public String get(int row, int column) {
        return rows.get(row)[column];
    }

    /** The rows at the given positions, in that order. */
    public CsvTable select(int[] rowIndexes) {
        var picked = new ArrayList<String[]>(rowIndexes.length);
        for (int r : rowIndexes) {
            picked.add(rows.get(r));
        }
        return new CsvTable(columns, picked);
    }
}
