package io.sluice.web.api;

import io.sluice.web.http.HttpError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Confines a savepoint target a request names to the allowed roots: the job's checkpoint directory and the server's
 * savepoint roots ({@code --savepoint-root}). The target must be absolute, contain no {@code ..} segment and no
 * {@code %} (no encoded traversal), and, after resolving symbolic links of its longest existing prefix, lie under the
 * real path of a root (so a link pointing out of a root is refused). Flink's CVE-2020-17518/17519 were traversals in
 * exactly these routes. Stateless, thread-safe.
 */
public final class SavepointPaths {
    private SavepointPaths() {}

    /** The canonical target, or a 400 saying why not. */
    public static Path confine(String target, List<Path> roots) {
        if (target == null || target.isBlank()) {
            throw HttpError.badRequest("'target' must name an absolute directory");
        }
        if (target.indexOf('\0') >= 0 || target.indexOf('%') >= 0) {
            throw HttpError.badRequest("savepoint target '" + printable(target) + "' may not contain '%' or NUL");
        }
        Path path;
        try {
            path = Path.of(target);
        } catch (InvalidPathException e) {
            throw HttpError.badRequest("savepoint target '" + printable(target) + "' is no path: " + e.getReason());
        }
        if (!path.isAbsolute()) {
            throw HttpError.badRequest("savepoint target '" + target + "' is not an absolute path");
        }
        for (Path segment : path) {
            if (segment.toString().equals("..") || segment.toString().equals(".")) {
                throw HttpError.badRequest("savepoint target '" + target + "' may not contain '.' or '..' segments");
            }
        }
        Path real;
        try {
            real = realOfLongestExistingPrefix(path.normalize());
        } catch (IOException e) {
            throw HttpError.badRequest("savepoint target '" + target + "' cannot be resolved: " + e.getMessage());
        }
        List<String> allowed = new ArrayList<>();
        for (Path root : roots) {
            Path realRoot;
            try {
                realRoot = realOfLongestExistingPrefix(root.toAbsolutePath().normalize());
            } catch (IOException e) {
                continue;
            }
            allowed.add(realRoot.toString());
            if (real.startsWith(realRoot)) {
                return real;
            }
        }
        throw HttpError.badRequest("savepoint target '" + target + "' is outside the allowed roots "
                + (allowed.isEmpty() ? "(none: the job has no checkpoint directory and no --savepoint-root was given)"
                        : allowed.toString()));
    }

    /** {@code path} with its longest existing prefix replaced by that prefix's real path (links resolved). */
    private static Path realOfLongestExistingPrefix(Path path) throws IOException {
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        Path real = existing.toRealPath();
        return real.resolve(existing.relativize(path)).normalize();
    }

    private static String printable(String s) {
        return s.replace("\0", "\\0");
    }
}
