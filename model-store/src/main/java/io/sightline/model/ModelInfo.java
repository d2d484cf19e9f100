package io.sightline.model;

/** Provenance of a loaded model, carried on every event it produced. */
public record ModelInfo(String name, String version, String sha256) {}
