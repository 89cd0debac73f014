package io.meshwatch.mrt;

/** Where decoders report something they left out; bound to the offset of the record being decoded. */
@FunctionalInterface
interface Reporter {
    void skip(SkipReason reason, String message);
}
