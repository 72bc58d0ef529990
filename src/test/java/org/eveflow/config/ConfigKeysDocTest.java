package org.eveflow.config;

import org.eveflow.testing.GeneratedDocTable;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md's table of configuration keys is the keys' declarations ({@link Keys}): the
 * table between its markers is generated from them, so a key added there shows up here (the expected
 * table is written to target/config-keys.md to copy in).
 */
class ConfigKeysDocTest {
    static String table() {
        StringBuilder b = new StringBuilder("| key | what | takes | default | a reload | flag |\n|---|---|---|---|---|---|\n");
        for (Key<?> k : Keys.ALL_KEYS) {
            String name = k.perOutput() ? "outputs.NAME." + k.leaf() : k.name();
            b.append("| `").append(name).append("` | ").append(k.help()).append(" | ").append(k.type().takes())
                    .append(" | ").append(k.defaultYaml() != null ? "`" + k.defaultYaml() + "`" : k.defaultText())
                    .append(" | ").append(k.apply() == Key.Apply.RELOAD ? "applies it" : "needs a restart")
                    .append(" | ").append(k.flag() == null ? "" : "`" + String.join("`, `", k.flag().names()) + "`")
                    .append(" |\n");
        }
        return b.toString();
    }

    @Test
    void theDocsTableIsTheCodes() throws Exception {
        GeneratedDocTable.assertCurrent("docs/operations.md", "config-keys", "ConfigKeysDocTest", table());
    }
}
