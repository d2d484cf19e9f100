package io.sightline.stream;

import io.sightline.schemas.DeadLetterReason;
import io.sightline.udf.FailureCode;

/**
 * The one place where the UDF host's failure categories become the contract's dead-letter reasons. The host cannot
 * use {@link DeadLetterReason} itself (it must stay free of Kafka); the switch is exhaustive, so a new failure code
 * does not compile until it has a reason.
 */
public final class FailureReasons {

    private FailureReasons() {}

    public static DeadLetterReason of(FailureCode code) {
        return switch (code) {
            case IMAGE_DECODE -> DeadLetterReason.IMAGE_DECODE;
            case IMAGE_TOO_LARGE -> DeadLetterReason.IMAGE_TOO_LARGE;
            case IMAGE_SIZE_MISMATCH -> DeadLetterReason.IMAGE_SIZE_MISMATCH;
            case UDF_TRAP -> DeadLetterReason.UDF_TRAP;
            case UDF_TIMEOUT -> DeadLetterReason.UDF_TIMEOUT;
            case UDF_ABI -> DeadLetterReason.UDF_ABI;
            case UDF_ERROR -> DeadLetterReason.UDF_ERROR;
            case INFERENCE -> DeadLetterReason.INFERENCE;
        };
    }
}
