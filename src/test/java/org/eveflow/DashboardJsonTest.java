package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What Grafana's import needs from the shipped dashboard (a data source input that the data source
 * variable defaults to), and no panel with bytes and counts on one axis: a series named for bytes is
 * moved to a right axis with a byte unit by an override. (DashboardIT runs the queries.)
 */
class DashboardJsonTest {
    private static final JsonNode DASHBOARD = read();

    private static JsonNode read() {
        try {
            return new ObjectMapper().readTree(Path.of("conf/grafana/eveflow-dashboard.json").toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theImportDialogAsksForTheInfluxDbDataSource() {
        JsonNode input = DASHBOARD.path("__inputs").path(0);
        assertThat(input.path("type").asText()).isEqualTo("datasource");
        assertThat(input.path("pluginId").asText()).isEqualTo("influxdb");
        JsonNode variable = DASHBOARD.path("templating").path("list").path(0);
        assertThat(variable.path("type").asText()).isEqualTo("datasource");
        assertThat(variable.path("current").path("value").asText()).isEqualTo("${" + input.path("name").asText() + "}");
    }

    @Test
    void thePrometheusDashboardAsksForAPrometheusDataSourceAndPutsBytesOnTheRight() throws Exception {
        JsonNode d = new ObjectMapper().readTree(Path.of("conf/grafana/eveflow-prometheus-dashboard.json").toFile());
        JsonNode input = d.path("__inputs").path(0);
        assertThat(input.path("pluginId").asText()).isEqualTo("prometheus");
        assertThat(d.path("templating").path("list").path(0).path("current").path("value").asText())
                .isEqualTo("${" + input.path("name").asText() + "}");
        List<String> titles = new ArrayList<>();
        for (JsonNode panel : d.path("panels")) {
            titles.add(panel.path("title").asText());
            String unit = panel.path("fieldConfig").path("defaults").path("unit").asText();
            for (JsonNode t : panel.path("targets")) {
                String legend = t.path("legendFormat").asText();
                if (legend.contains("bytes") && !unit.equals("bytes") && !unit.equals("Bps")) {
                    assertThat(panel.path("fieldConfig").path("overrides").toString()).as(panel.path("title").asText())
                            .contains("\"custom.axisPlacement\"", "\"right\"");
                }
            }
        }
        List<String> influxTitles = new ArrayList<>();
        DASHBOARD.path("panels").forEach(p -> influxTitles.add(p.path("title").asText()));
        assertThat(titles).as("the same panels as the InfluxDB dashboard").hasSameSizeAs(influxTitles);
    }

    @Test
    void bytesBesideCountsGoOnARightAxisInAByteUnit() {
        Pattern alias = Pattern.compile("AS \"([^\"]+)\"");
        List<String> checked = new ArrayList<>();
        for (JsonNode panel : DASHBOARD.path("panels")) {
            List<String> names = new ArrayList<>();
            for (JsonNode target : panel.path("targets")) {
                Matcher m = alias.matcher(target.path("query").asText());
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
            String unit = panel.path("fieldConfig").path("defaults").path("unit").asText();
            boolean bytesByDefault = unit.equals("bytes") || unit.equals("Bps");
            if (bytesByDefault || names.stream().noneMatch(n -> n.contains("bytes"))) {
                continue;
            }
            checked.add(panel.path("title").asText());
            for (String n : names.stream().filter(x -> x.contains("bytes")).toList()) {
                JsonNode override = null;
                for (JsonNode o : panel.path("fieldConfig").path("overrides")) {
                    String opt = o.path("matcher").path("options").asText();
                    boolean hit = o.path("matcher").path("id").asText().equals("byName") ? opt.equals(n)
                            : Pattern.compile(opt).matcher("default " + n).matches();
                    if (hit) {
                        override = o;
                    }
                }
                assertThat(override).as(panel.path("title").asText() + ": " + n).isNotNull();
                assertThat(override.toString()).contains("\"custom.axisPlacement\"", "\"right\"")
                        .containsAnyOf("\"bytes\"", "\"Bps\"");
            }
        }
        assertThat(checked).containsExactlyInAnyOrder("Input: bytes per second, connections, read pauses",
                "Lines buffered, by output", "Decoder throughput");
    }
}
