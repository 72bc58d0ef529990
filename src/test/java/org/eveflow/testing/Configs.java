package org.eveflow.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eveflow.config.Config;
import org.eveflow.config.ConfigException;
import org.eveflow.config.ConfigLoader;
import org.eveflow.config.Overrides;

/** A configuration written as YAML, loaded as eveflow loads a file: the way a test makes one (or a part of one). */
public final class Configs {
    private Configs() {
    }

    public static Config of(String yaml) {
        try {
            Path f = Files.createTempFile("eveflow-test", ".yaml");
            try {
                Files.writeString(f, yaml);
                return ConfigLoader.load(f, Overrides.none());
            } finally {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** One output named {@code name} on {@code socket}, with {@code yamlKeys} (its keys, one per line, unindented). */
    public static Config.Output output(String name, Path socket, String yamlKeys) {
        StringBuilder b = new StringBuilder("outputs:\n  " + name + ":\n    socket: " + socket + "\n");
        yamlKeys.lines().forEach(l -> b.append("    ").append(l).append('\n'));
        return of(b.toString()).outputs().get(0);
    }
}
