package io.sightline.udf;

import java.util.Objects;

/**
 * One record a UDF emitted to a named output other than the built-in {@code detections} and {@code annotated}; the
 * processor maps output {@code NAME} to topic {@code sightline.NAME}.
 *
 * @param output      the output's name, e.g. {@code alerts} or {@code blurred}
 * @param contentType what the payload is: {@code application/json}, {@code image/png} or {@code image/jpeg}
 * @param payload     the record's bytes as the UDF or the host's encoder made them
 * @param udf         the UDF that emitted it
 */
public record UdfOutput(String output, String contentType, byte[] payload, UdfInfo udf) {

    public UdfOutput {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(udf, "udf");
    }
}
