package io.sightline.access;

/** What a user may do over HTTP: read (GET), or also write (register, change, delete). */
public enum Role {
    READ, WRITE;

    /** Whether this role may do what {@code needed} is needed for. */
    public boolean allows(Role needed) {
        return this == WRITE || needed == READ;
    }

    /** The role as a users file spells it ({@code read}, {@code write}); anything else is an error naming both. */
    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.name().equalsIgnoreCase(text)) {
                return role;
            }
        }
        throw new IllegalArgumentException("role must be read or write, got '" + text + "'");
    }
}
