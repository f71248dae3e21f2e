package io.sluice.runtime.state;

import io.sluice.api.types.Types;

import io.sluice.runtime.state.heap.HeapKeyedStateBackend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Key groups: how keys map to key groups and key groups to subtasks. */
class KeyGroupsTest {

    private static final List<Integer> MAX_PARALLELISMS = List.of(1, 7, 128, 32768);

    enum Color { RED, GREEN, BLUE, CYAN, MAGENTA, YELLOW, BLACK, WHITE }

    @Test
    void everyKeyGroupBelongsToExactlyOneSubtaskAndRangesAgreeWithSubtaskOf() {
        for (int maxP : MAX_PARALLELISMS) {
            for (int p = 1; p <= 10 && p <= maxP; p++) {
                String where = "maxParallelism " + maxP + ", parallelism " + p;
                int[] owners = new int[maxP];
                java.util.Arrays.fill(owners, -1);
                int expectedFirst = 0;
                for (int s = 0; s < p; s++) {
                    int first = KeyGroups.firstKeyGroup(s, maxP, p);
                    int end = KeyGroups.endKeyGroup(s, maxP, p);
                    assertEquals(expectedFirst, first, where + ": subtask " + s + " starts where the previous one ended");
                    assertTrue(end > first, where + ": subtask " + s + " owns at least one key group [" + first + ", " + end + ")");
                    for (int g = first; g < end; g++) {
                        assertEquals(-1, owners[g], where + ": key group " + g + " owned twice");
                        owners[g] = s;
                    }
                    expectedFirst = end;
                }
                assertEquals(maxP, expectedFirst, where + ": the ranges cover every key group");
                for (int g = 0; g < maxP; g++) {
                    assertEquals(owners[g], KeyGroups.subtaskOf(g, maxP, p), where + ": subtaskOf(" + g + ")");
                }
                // ranges are as even as possible: sizes differ by at most one
                int min = Integer.MAX_VALUE;
                int max = 0;
                for (int s = 0; s < p; s++) {
                    int size = KeyGroups.endKeyGroup(s, maxP, p) - KeyGroups.firstKeyGroup(s, maxP, p);
                    min = Math.min(min, size);
                    max = Math.max(max, size);
                }
                assertTrue(max - min <= 1, where + ": range sizes " + min + ".." + max);
            }
        }
    }

    @Test
    void keyGroupsAreInRangeAndStable() {
        java.util.Random random = new java.util.Random(99);
        for (int maxP : MAX_PARALLELISMS) {
            for (int i = 0; i < 10_000; i++) {
                Object key = switch (i % 4) {
                    case 0 -> random.nextInt();
                    case 1 -> random.nextLong();
                    case 2 -> "key-" + random.nextInt();
                    default -> List.of(random.nextInt(10), random.nextInt(10));
                };
                int g = KeyGroups.keyGroupOf(key, maxP);
                assertTrue(g >= 0 && g < maxP, "seed 99: key group " + g + " of " + key + " outside [0, " + maxP + ")");
                assertEquals(g, KeyGroups.keyGroupOf(copyOf(key), maxP), "seed 99: an equal key gets the same group");
            }
        }
    }

    private static Object copyOf(Object key) {
        return switch (key) {
            case Integer v -> Integer.valueOf(v.intValue());
            case Long v -> Long.valueOf(v.longValue());
            case String s -> new String(s);
            case List<?> l -> new java.util.ArrayList<>(l);
            default -> key;
        };
    }

    @Test
    void sequentialIntegerKeysSpreadEvenlyOverFourSubtasks() {
        int p = 4;
        int maxP = 128;
        int[] perSubtask = new int[p];
        int keys = 10_000;
        for (int k = 0; k < keys; k++) {
            perSubtask[KeyGroups.subtaskOf(KeyGroups.keyGroupOf(k, maxP), maxP, p)]++;
        }
        for (int s = 0; s < p; s++) {
            double share = perSubtask[s] / (double) keys;
            assertTrue(share >= 0.20 && share <= 0.30,
                    "subtask " + s + " got " + perSubtask[s] + " of " + keys + " keys: " + java.util.Arrays.toString(perSubtask));
        }
    }

    @Test
    void sequentialKeysUseEveryKeyGroup() {
        // raw Integer.hashCode() mod 128 would also do this; the mixing must not lose it
        int maxP = 128;
        boolean[] used = new boolean[maxP];
        for (int k = 0; k < 10_000; k++) {
            used[KeyGroups.keyGroupOf(k, maxP)] = true;
        }
        for (int g = 0; g < maxP; g++) {
            assertTrue(used[g], "key group " + g + " got none of 10,000 sequential keys");
        }
    }

    @Test
    void enumKeysHashByName() {
        for (int maxP : MAX_PARALLELISMS) {
            for (Color c : Color.values()) {
                assertEquals(KeyGroups.keyGroupOf(c.name(), maxP), KeyGroups.keyGroupOf(c, maxP),
                        c + " with maxParallelism " + maxP);
                assertEquals(KeyGroups.mixedHash(c.name()), KeyGroups.mixedHash(c), c.toString());
                // a fixed, JVM-independent value: murmur3's finalizer of the name's String.hashCode()
                assertEquals(Math.floorMod(murmur(c.name().hashCode()), maxP), KeyGroups.keyGroupOf(c, maxP), c.toString());
            }
        }
    }

    @Test
    void mixedHashIsMurmur3sFinalizer() {
        // compared with an independent implementation below, written with unsigned arithmetic
        for (int h : new int[] {0, 1, -1, 42, Integer.MIN_VALUE, Integer.MAX_VALUE, "hello".hashCode()}) {
            assertEquals(murmur(h), KeyGroups.murmurMix(h), "fmix32(" + h + ")");
        }
        assertEquals(0, KeyGroups.murmurMix(0), "fmix32(0) is 0");
        assertEquals(murmur(Integer.valueOf(12345).hashCode()), KeyGroups.mixedHash(12345));
    }

    @Test
    void aSubtasksStateBackendAcceptsExactlyTheKeysRoutedToIt() {
        int maxP = 128;
        for (int p : new int[] {1, 3, 4}) {
            HeapKeyedStateBackend[] backends = new HeapKeyedStateBackend[p];
            for (int s = 0; s < p; s++) {
                backends[s] = new HeapKeyedStateBackend(KeyGroupRange.of(s, p, maxP), maxP, Types.INT, () -> 0L);
            }
            for (int k = 0; k < 2_000; k++) {
                int owner = KeyGroups.subtaskOf(KeyGroups.keyGroupOf(k, maxP), maxP, p);
                for (int s = 0; s < p; s++) {
                    boolean accepted;
                    try {
                        backends[s].setCurrentKey(k);
                        accepted = true;
                    } catch (IllegalStateException e) {
                        accepted = false;
                    }
                    assertEquals(s == owner, accepted, "key " + k + " at subtask " + s + " of " + p);
                }
            }
        }
    }

    /** An independent fmix32, written from the specification with unsigned arithmetic on longs. */
    private static int murmur(int h) {
        long x = h & 0xFFFFFFFFL;
        x ^= x >>> 16;
        x = (x * 0x85EBCA6BL) & 0xFFFFFFFFL;
        x ^= x >>> 13;
        x = (x * 0xC2B2AE35L) & 0xFFFFFFFFL;
        x ^= x >>> 16;
        return (int) x;
    }

    @org.junit.jupiter.api.Test
    void keyGroupOfAHashIsFloorModForEveryMaxParallelism() {
        java.util.Random random = new java.util.Random(17);
        for (int maxP : new int[] {1, 2, 3, 7, 64, 100, 128, 1000, 1024, 32768}) {
            for (int i = 0; i < 10_000; i++) {
                int h = i < 4 ? new int[] {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}[i] : random.nextInt();
                org.junit.jupiter.api.Assertions.assertEquals(Math.floorMod(h, maxP), KeyGroups.keyGroupOfHash(h, maxP),
                        "hash " + h + ", maxParallelism " + maxP + " (seed 17)");
            }
        }
    }
}
