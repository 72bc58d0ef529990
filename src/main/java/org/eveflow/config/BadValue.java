package org.eveflow.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * A value a configuration deserializer refused, with a message meant for the operator; the loader
 * prints it after the key it was found at ("aggregate.flushtime: invalid duration '1x' ...").
 */
final class BadValue extends JsonMappingException {
    private static final long serialVersionUID = 1L;

    BadValue(JsonParser p, String message) {
        super(p, message);
    }
}
