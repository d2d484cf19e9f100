package io.sightline.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A users file: one {@code name:role:hash} line per user ({@code role} read or write, {@code hash} a {@link
 * PasswordHash}), {@code #} comments and blank lines allowed. Written by {@code sightline users add}; read once at
 * start, where a malformed line is an error naming the file and line.
 */
public final class Users {

    /** A user as the file has it. */
    public record User(String name, Role role, String passwordHash) {
    }

    private final Map<String, User> users;

    private Users(Map<String, User> users) {
        this.users = Map.copyOf(users);
    }

    public static Users read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read users file " + file + ": " + e.getMessage(), e);
        }
        Map<String, User> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                User user = parse(line);
                if (users.put(user.name(), user) != null) {
                    throw new IllegalArgumentException("user " + user.name() + " appears twice");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException("users file " + file + " has no user: add one with `sightline users "
                    + "add " + file + " NAME`");
        }
        return new Users(users);
    }

    private static User parse(String line) {
        String[] fields = line.split(":", 3);
        if (fields.length != 3) {
            throw new IllegalArgumentException("expected name:role:hash");
        }
        requireName(fields[0]);
        PasswordHash.validate(fields[2]);
        return new User(fields[0], Role.parse(fields[1]), fields[2]);
    }

    private static void requireName(String name) {
        if (!name.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new IllegalArgumentException("user name must be 1-64 of letters, digits, '.', '_', '@', '-', got '"
                    + name + "'");
        }
    }

    public Optional<User> find(String name) {
        return Optional.ofNullable(users.get(name));
    }

    public int size() {
        return users.size();
    }

    /**
     * Adds the user to the file, or replaces their role and password; a new file is created readable by its owner
     * only. Returns whether the user was new.
     */
    public static boolean add(Path file, String name, Role role, char[] password) throws IOException {
        requireName(name);
        if (password.length == 0) {
            throw new IllegalArgumentException("the password must not be empty");
        }
        List<String> lines = new ArrayList<>();
        if (Files.exists(file)) {
            lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
        } else {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            lines.add("# Sightline users: name:role:hash (role read or write); edit with `sightline users add`");
        }
        String entry = name + ":" + role.name().toLowerCase() + ":" + PasswordHash.hash(password);
        boolean added = true;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(name + ":")) {
                lines.set(i, entry);
                added = false;
            }
        }
        if (added) {
            lines.add(entry);
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
        return added;
    }
}
