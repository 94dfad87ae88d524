package io.searchloop.trainer.offline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the offline tools' input files, UTF-8, by extension: {@code .csv} and {@code .tsv} with a
 * header row (RFC 4180: fields may be quoted with {@code "}, hold the delimiter and newlines, and a
 * doubled quote inside stands for one), or {@code .jsonl} with one JSON object per line. A
 * malformed row fails with the line it starts on.
 */
public final class TabularFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CsvMapper CSV =
            CsvMapper.builder()
                    .enable(CsvParser.Feature.WRAP_AS_ARRAY)
                    .enable(CsvParser.Feature.TRIM_SPACES)
                    .build();

    /** One row as column → value, with the line of the file it starts on. */
    private record Row(int line, Map<String, String> values) {}

    private TabularFile() {}

    /**
     * Every row as column → value, checking that {@code required} columns are present and
     * non-empty.
     */
    public static List<Map<String, String>> read(Path file, List<String> required)
            throws IOException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        List<Row> rows;
        if (name.endsWith(".jsonl")) {
            rows = readJsonLines(file);
        } else if (name.endsWith(".tsv")) {
            rows = readDelimited(file, '\t');
        } else if (name.endsWith(".csv")) {
            rows = readDelimited(file, ',');
        } else {
            throw new IllegalArgumentException(
                    file + ": unknown format (use .csv, .tsv or .jsonl)");
        }
        List<Map<String, String>> out = new ArrayList<>();
        for (Row row : rows) {
            for (String column : required) {
                String v = row.values().get(column);
                if (v == null || v.isBlank()) {
                    throw new IllegalArgumentException(
                            file + " line " + row.line() + ": missing value for '" + column + "'");
                }
            }
            out.add(row.values());
        }
        return out;
    }

    private static List<Row> readJsonLines(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(
                            file
                                    + " line "
                                    + number
                                    + ": not valid JSON: "
                                    + e.getOriginalMessage());
                }
                if (!node.isObject()) {
                    throw new IllegalArgumentException(
                            file + " line " + number + ": expected a JSON object");
                }
                Map<String, String> row = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    row.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
                }
                rows.add(new Row(number, row));
            }
        }
        return rows;
    }

    /**
     * RFC 4180 through Jackson's CSV parser: a quoted field may hold the delimiter, doubled quotes
     * and newlines; spaces around unquoted values are trimmed. Rows keep the line they start on, so
     * that errors name the line a person sees in an editor even after a multi-line field.
     */
    private static List<Row> readDelimited(Path file, char delimiter) throws IOException {
        CsvSchema schema =
                CsvSchema.emptySchema()
                        .withColumnSeparator(delimiter)
                        .withQuoteChar('"')
                        .withoutEscapeChar();
        List<Row> rows = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                MappingIterator<String[]> it =
                        CSV.readerFor(String[].class)
                                .with(schema)
                                .readValues(withoutByteOrderMark(reader))) {
            String[] header = null;
            while (true) {
                int line =
                        it.getParser()
                                .currentLocation()
                                .getLineNr(); // where the previous row ended: this row's first line
                String[] fields;
                try {
                    if (!it.hasNextValue()) {
                        break;
                    }
                    fields = it.nextValue();
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(
                            file + " line " + line + ": " + e.getOriginalMessage());
                }
                if (fields.length == 0 || (fields.length == 1 && fields[0].isBlank())) {
                    continue;
                }
                if (header == null) {
                    header = fields;
                    continue;
                }
                if (fields.length != header.length) {
                    throw new IllegalArgumentException(
                            file
                                    + " line "
                                    + line
                                    + ": "
                                    + fields.length
                                    + " fields, header has "
                                    + header.length);
                }
                Map<String, String> row = new LinkedHashMap<>();
                for (int c = 0; c < header.length; c++) {
                    row.put(header[c], fields[c]);
                }
                rows.add(new Row(line, row));
            }
        }
        if (rows.isEmpty() && Files.size(file) == 0) {
            throw new IllegalArgumentException(file + " is empty: a header row is required");
        }
        return rows;
    }

    private static Reader withoutByteOrderMark(BufferedReader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        return reader;
    }
}
