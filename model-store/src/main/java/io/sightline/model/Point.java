package io.sightline.model;

/** A point in pixels of the original image. */
public record Point(float x, float y) {}
