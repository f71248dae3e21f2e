package io.sluice.runtime.checkpoint.storage;

/**
 * Which names a state file may have. A name is a single path element from a small alphabet, so a name written by
 * a caller or read from (possibly crafted) metadata can never leave its directory, and names starting with
 * {@code _} stay free for the storage's own files ({@code _metadata}).
 */
final class StateFileNames {
    static final int MAX_LENGTH = 200;

    private StateFileNames() {
    }

    /** Throws {@link IllegalArgumentException} naming the problem unless {@code name} is a valid state file name. */
    static String requireValid(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("invalid state file name " + quote(name) + ": " + problem);
        }
        return name;
    }

    private static String problem(String name) {
        if (name == null) {
            return "null";
        }
        if (name.isEmpty() || name.length() > MAX_LENGTH) {
            return "must have 1 to " + MAX_LENGTH + " characters";
        }
        char first = name.charAt(0);
        if (first == '.' || first == '_') {
            return "must not start with '.' or '_'";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return "only letters, digits, '.', '_' and '-' are allowed";
            }
        }
        return null;
    }

    private static String quote(String name) {
        return name == null ? "null" : "'" + name + "'";
    }
}
