package io.sluice.nexmark.loop;

import io.sluice.nexmark.generator.NexmarkConfig;
import io.sluice.nexmark.generator.NexmarkGenerator;
import io.sluice.nexmark.model.Auction;
import io.sluice.nexmark.model.Bid;
import io.sluice.nexmark.model.Event;
import io.sluice.nexmark.model.Person;
import io.sluice.nexmark.queries.NexmarkQueries;
import io.sluice.nexmark.results.AuctionPrice;
import io.sluice.nexmark.results.KeyCount;
import io.sluice.nexmark.results.BidderSession;
import io.sluice.nexmark.results.CategoryAverage;
import io.sluice.nexmark.results.HighestBid;
import io.sluice.nexmark.results.HotItem;
import io.sluice.nexmark.results.NewSeller;
import io.sluice.nexmark.results.SellerMatch;
import io.sluice.nexmark.run.Query;
import io.sluice.nexmark.run.RunClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The Nexmark queries as plain single-threaded Java loops: no engine, {@code HashMap}s for state, the generator's
 * events {@code 0..events-1} in index order. They are the baseline of {@code BENCHMARKS.md} (efficiency = Sluice
 * events/s at parallelism 1 / loop events/s) and the oracle of the correctness tests: each produces exactly the
 * result set {@code docs/nexmark.md} defines.
 *
 * <p>Event time as an engine sees it: the "watermark" is the largest event time seen minus the maximum disorder minus
 * 1 ms, and windows, sessions and auctions are completed (results emitted, state dropped) as it passes them, so memory
 * stays bounded however many events run (except q3, an unwindowed join that keeps the matching persons, as the engine
 * does). Index order has one more guarantee the loops use: persons and auctions come before the events naming them.
 *
 * <p>q5 counts bids per auction in 2 s panes and adds up the five panes of a window when it completes (one map
 * update per bid rather than five): what one would write by hand. q11 completes a session once the watermark is at
 * its end (not {@code end - 1}): a bid exactly at a session's end still joins it.
 *
 * <p>Not thread-safe; each call runs on the caller's thread and calls {@link RunClock#markFirstRecord()} before the
 * first event.
 */
public final class NexmarkLoops {
    private static final long WINDOW = 10_000;
    private static final long SLIDE = 2_000;
    private static final long GAP = 10_000;

    private NexmarkLoops() {}

    /** Runs query {@code query} ({@code "q5"}) over the events of {@code config}, handing each result to {@code results}. */
    public static void run(String query, NexmarkConfig config, Consumer<Object> results) {
        run(Query.parse(query), config, results);
    }

    /** Runs {@code query} over the events of {@code config}, handing each result to {@code results}. */
    public static void run(Query query, NexmarkConfig config, Consumer<Object> results) {
        NexmarkGenerator g = new NexmarkGenerator(config);
        RunClock.markFirstRecord();
        switch (query) {
            case Q0 -> q0(g, results);
            case Q1 -> q1(g, results);
            case Q2 -> q2(g, results);
            case Q3 -> q3(g, results);
            case Q4 -> q4(g, results);
            case Q5 -> q5(g, results);
            case Q7 -> q7(g, results);
            case Q8 -> q8(g, results);
            case Q11 -> q11(g, results);
            case KC -> kc(g, results);
        }
    }

    /** A count per key in an array indexed by the key (the keys are 0 .. KC_KEYS - 1). */
    private static void kc(NexmarkGenerator g, Consumer<Object> results) {
        long n = g.config().events();
        long[] counts = new long[(int) NexmarkQueries.KC_KEYS];
        for (long i = 0; i < n; i++) {
            Bid b = g.event(i).bid();
            if (b != null) {
                int key = (int) (b.auction() % NexmarkQueries.KC_KEYS);
                results.accept(new KeyCount(key, ++counts[key]));
            }
        }
    }

    private static void q0(NexmarkGenerator g, Consumer<Object> results) {
        long n = g.config().events();
        for (long i = 0; i < n; i++) {
            Bid b = g.event(i).bid();
            if (b != null) {
                results.accept(b);
            }
        }
    }

    private static void q1(NexmarkGenerator g, Consumer<Object> results) {
        long n = g.config().events();
        for (long i = 0; i < n; i++) {
            Bid b = g.event(i).bid();
            if (b != null) {
                results.accept(new Bid(b.auction(), b.bidder(), Math.round(b.price() * 0.908), b.channel(), b.url(),
                        b.dateTime(), b.extra()));
            }
        }
    }

    private static void q2(NexmarkGenerator g, Consumer<Object> results) {
        long n = g.config().events();
        for (long i = 0; i < n; i++) {
            Bid b = g.event(i).bid();
            if (b != null && b.auction() % 123 == 0) {
                results.accept(new AuctionPrice(b.auction(), b.price()));
            }
        }
    }

    /** Matching persons by id; an auction of category 10 matches its seller at once (index order: sellers come first). */
    private static void q3(NexmarkGenerator g, Consumer<Object> results) {
        long n = g.config().events();
        Map<Long, Person> sellers = new HashMap<>();
        for (long i = 0; i < n; i++) {
            Event e = g.event(i);
            Person p = e.person();
            if (p != null) {
                if (p.state().equals("OR") || p.state().equals("ID") || p.state().equals("CA")) {
                    sellers.put(p.id(), p);
                }
                continue;
            }
            Auction a = e.auction();
            if (a != null && a.category() == 10) {
                Person s = sellers.get(a.seller());
                if (s != null) {
                    results.accept(new SellerMatch(s.name(), s.city(), s.state(), a.id()));
                }
            }
        }
    }

    /** An open auction of q4. */
    private static final class OpenAuction {
        final long id;
        final long category;
        final long dateTime;
        final long expires;
        final long reserve;
        long best;

        OpenAuction(Auction a) {
            id = a.id();
            category = a.category();
            dateTime = a.dateTime();
            expires = a.expires();
            reserve = a.reserve();
        }
    }

    /** Open auctions by id, closed in expiry order when the watermark reaches {@code expires - 1}. */
    private static void q4(NexmarkGenerator g, Consumer<Object> results) {
        long n = g.config().events();
        long disorder = g.config().maxDisorderMillis();
        Map<Long, OpenAuction> open = new HashMap<>();
        PriorityQueue<OpenAuction> byExpiry = new PriorityQueue<>((x, y) -> Long.compare(x.expires, y.expires));
        Map<Long, long[]> categories = new TreeMap<>(); // category -> {auctions, sum}
        long maxSeen = Long.MIN_VALUE;
        long closeAt = Long.MAX_VALUE; // the watermark that closes the next auction
        for (long i = 0; i < n; i++) {
            Event e = g.event(i);
            long t = e.time();
            if (t > maxSeen) {
                maxSeen = t;
            }
            Bid b = e.bid();
            if (b != null) {
                OpenAuction a = open.get(b.auction()); // null: closed (bids never precede their auction in index order)
                if (a != null && b.price() > a.best && b.price() >= a.reserve && t >= a.dateTime && t < a.expires) {
                    a.best = b.price();
                }
            } else if (e.auction() != null) {
                OpenAuction a = new OpenAuction(e.auction());
                open.put(a.id, a);
                byExpiry.add(a);
                closeAt = byExpiry.peek().expires - 1;
            }
            long wm = maxSeen - disorder - 1;
            if (wm >= closeAt) {
                closeAt = close(wm, open, byExpiry, categories);
            }
        }
        close(Long.MAX_VALUE, open, byExpiry, categories);
        for (Map.Entry<Long, long[]> c : categories.entrySet()) {
            long[] v = c.getValue();
            results.accept(new CategoryAverage(c.getKey(), v[0], v[1] / v[0]));
        }
    }

    private static long close(long wm, Map<Long, OpenAuction> open, PriorityQueue<OpenAuction> byExpiry,
            Map<Long, long[]> categories) {
        OpenAuction a;
        while ((a = byExpiry.peek()) != null && a.expires - 1 <= wm) {
            byExpiry.poll();
            open.remove(a.id);
            if (a.best > 0) {
                long[] v = categories.computeIfAbsent(a.category, k -> new long[2]);
                v[0]++;
                v[1] += a.best;
            }
        }
        return a == null ? Long.MAX_VALUE : a.expires - 1;
    }

    /**
     * Bid counts per auction in 2 s panes; a window {@code [end - 10 s, end)} is its five panes, completed when the
     * watermark reaches {@code end - 1}; a pane goes with the last window holding it.
     */
    private static void q5(NexmarkGenerator g, Consumer<Object> results) {
        long n = g.config().events();
        long disorder = g.config().maxDisorderMillis();
        TreeMap<Long, HashMap<Long, long[]>> panes = new TreeMap<>();
        long[] nextEnd = {Long.MIN_VALUE}; // the end of the next window to complete (at least)
        long fireAt = Long.MAX_VALUE;
        long paneStart = Long.MIN_VALUE;
        HashMap<Long, long[]> pane = null;
        long maxSeen = Long.MIN_VALUE;
        for (long i = 0; i < n; i++) {
            Event e = g.event(i);
            long t = e.time();
            if (t > maxSeen) {
                maxSeen = t;
            }
            Bid b = e.bid();
            if (b != null) {
                long p = t - Math.floorMod(t, SLIDE);
                if (p != paneStart) {
                    pane = panes.get(p);
                    if (pane == null) {
                        pane = new HashMap<>();
                        panes.put(p, pane);
                        fireAt = Math.max(nextEnd[0], panes.firstKey() + SLIDE) - 1;
                    }
                    paneStart = p;
                }
                long[] count = pane.get(b.auction());
                if (count == null) {
                    pane.put(b.auction(), count = new long[1]);
                }
                count[0]++;
            }
            long wm = maxSeen - disorder - 1;
            if (wm >= fireAt) {
                fireAt = completeWindows(wm, panes, nextEnd, results);
                paneStart = Long.MIN_VALUE;
            }
        }
        completeWindows(Long.MAX_VALUE, panes, nextEnd, results);
    }

    /** Completes q5's windows up to the watermark; returns the watermark that completes the next one. */
    private static long completeWindows(long wm, TreeMap<Long, HashMap<Long, long[]>> panes, long[] nextEnd,
            Consumer<Object> results) {
        while (!panes.isEmpty()) {
            long end = Math.max(nextEnd[0], panes.firstKey() + SLIDE); // windows before hold no bids
            if (end - 1 > wm) {
                return end - 1;
            }
            HashMap<Long, long[]> counts = new HashMap<>();
            for (HashMap<Long, long[]> p : panes.subMap(end - WINDOW, end).values()) {
                for (Map.Entry<Long, long[]> c : p.entrySet()) {
                    long[] sum = counts.get(c.getKey());
                    if (sum == null) {
                        counts.put(c.getKey(), new long[] {c.getValue()[0]});
                    } else {
                        sum[0] += c.getValue()[0];
                    }
                }
            }
            long max = 0;
            for (long[] c : counts.values()) {
                max = Math.max(max, c[0]);
            }
            for (Map.Entry<Long, long[]> c : counts.entrySet()) {
                if (c.getValue()[0] == max) {
                    results.accept(new HotItem(end, c.getKey(), max));
                }
            }
            while (!panes.isEmpty() && panes.firstKey() < end - WINDOW + SLIDE) {
                panes.pollFirstEntry(); // no later window holds it
            }
            nextEnd[0] = end + SLIDE;
        }
        return Long.MAX_VALUE;
    }

    /** q7's highest bids of a window. */
    private static final class Top {
        long price = -1;
        final ArrayList<Bid> bids = new ArrayList<>(2);
    }

    /** The highest bids per tumbling window, completed when the watermark reaches {@code end - 1}. */
    private static void q7(NexmarkGenerator g, Consumer<Object> results) {
        long n = g.config().events();
        long disorder = g.config().maxDisorderMillis();
        TreeMap<Long, Top> windows = new TreeMap<>();
        long fireAt = Long.MAX_VALUE;
        long windowStart = Long.MIN_VALUE;
        Top top = null;
        long maxSeen = Long.MIN_VALUE;
        for (long i = 0; i < n; i++) {
            Event e = g.event(i);
            long t = e.time();
            if (t > maxSeen) {
                maxSeen = t;
            }
            Bid b = e.bid();
            if (b != null) {
                long w = t - Math.floorMod(t, WINDOW);
                if (w != windowStart) {
                    top = windows.get(w);
                    if (top == null) {
                        windows.put(w, top = new Top());
                        fireAt = windows.firstKey() + WINDOW - 1;
                    }
                    windowStart = w;
                }
                if (b.price() >= top.price) {
                    if (b.price() > top.price) {
                        top.price = b.price();
                        top.bids.clear();
                    }
                    top.bids.add(b);
                }
            }
            long wm = maxSeen - disorder - 1;
            if (wm >= fireAt) {
                fireAt = completeTops(wm, windows, results);
                windowStart = Long.MIN_VALUE;
            }
        }
        completeTops(Long.MAX_VALUE, windows, results);
    }

    private static long completeTops(long wm, TreeMap<Long, Top> windows, Consumer<Object> results) {
        while (!windows.isEmpty() && windows.firstKey() + WINDOW - 1 <= wm) {
            Map.Entry<Long, Top> w = windows.pollFirstEntry();
            long end = w.getKey() + WINDOW;
            for (Bid b : w.getValue().bids) {
                results.accept(new HighestBid(end, b.auction(), b.bidder(), b.price(), b.dateTime()));
            }
        }
        return windows.isEmpty() ? Long.MAX_VALUE : windows.firstKey() + WINDOW - 1;
    }

    /** q8's window: who joined in it, and who sold in it. */
    private static final class Joins {
        final HashMap<Long, String> persons = new HashMap<>();
        final HashSet<Long> sellers = new HashSet<>();
    }

    /** Per tumbling window, persons who joined and sellers; matched when the watermark reaches {@code end - 1}. */
    private static void q8(NexmarkGenerator g, Consumer<Object> results) {
        long n = g.config().events();
        long disorder = g.config().maxDisorderMillis();
        TreeMap<Long, Joins> windows = new TreeMap<>();
        long fireAt = Long.MAX_VALUE;
        long maxSeen = Long.MIN_VALUE;
        for (long i = 0; i < n; i++) {
            Event e = g.event(i);
            long t = e.time();
            if (t > maxSeen) {
                maxSeen = t;
            }
            if (e.bid() == null) {
                long w = t - Math.floorMod(t, WINDOW);
                Joins j = windows.get(w);
                if (j == null) {
                    windows.put(w, j = new Joins());
                    fireAt = windows.firstKey() + WINDOW - 1;
                }
                if (e.person() != null) {
                    j.persons.put(e.person().id(), e.person().name());
                } else {
                    j.sellers.add(e.auction().seller());
                }
            }
            long wm = maxSeen - disorder - 1;
            if (wm >= fireAt) {
                fireAt = completeJoins(wm, windows, results);
            }
        }
        completeJoins(Long.MAX_VALUE, windows, results);
    }

    private static long completeJoins(long wm, TreeMap<Long, Joins> windows, Consumer<Object> results) {
        while (!windows.isEmpty() && windows.firstKey() + WINDOW - 1 <= wm) {
            Map.Entry<Long, Joins> w = windows.pollFirstEntry();
            long end = w.getKey() + WINDOW;
            Set<Long> sellers = w.getValue().sellers;
            for (Map.Entry<Long, String> p : w.getValue().persons.entrySet()) {
                if (sellers.contains(p.getKey())) {
                    results.accept(new NewSeller(end, p.getKey(), p.getValue()));
                }
            }
        }
        return windows.isEmpty() ? Long.MAX_VALUE : windows.firstKey() + WINDOW - 1;
    }

    /** A q11 session of one bidder: {@code [start, end)}, end = last bid + gap; sessions of a bidder are linked. */
    private static final class Session {
        final long bidder;
        long start;
        long end;
        long bids;
        /** The end this session is queued under (at most {@link #end}: the queue is re-checked when it is reached). */
        long queuedEnd;
        boolean merged;
        Session next;

        Session(long bidder, long start, long end) {
            this.bidder = bidder;
            this.start = start;
            this.end = end;
            this.queuedEnd = end;
        }
    }

    /**
     * Sessions per bidder (usually one open at a time), queued by end; a session completes when the watermark reaches
     * its end, after which no bid can extend it. Extending a session does not touch the queue: a queued entry whose
     * session has grown is queued again when it comes up.
     */
    private static void q11(NexmarkGenerator g, Consumer<Object> results) {
        long n = g.config().events();
        long disorder = g.config().maxDisorderMillis();
        HashMap<Long, Session> sessions = new HashMap<>();
        PriorityQueue<Session> byEnd = new PriorityQueue<>((x, y) -> Long.compare(x.queuedEnd, y.queuedEnd));
        long maxSeen = Long.MIN_VALUE;
        long fireAt = Long.MAX_VALUE;
        for (long i = 0; i < n; i++) {
            Event e = g.event(i);
            long t = e.time();
            if (t > maxSeen) {
                maxSeen = t;
            }
            Bid b = e.bid();
            if (b != null) {
                Session head = sessions.get(b.bidder());
                if (head != null && head.next == null && head.start <= t + GAP && head.end >= t) {
                    head.start = Math.min(head.start, t); // the common case: one session, and the bid touches it
                    head.end = Math.max(head.end, t + GAP);
                    head.bids++;
                } else {
                    Session created = addBid(sessions, head, b.bidder(), t);
                    if (created != null) {
                        byEnd.add(created);
                        fireAt = byEnd.peek().queuedEnd;
                    }
                }
            }
            long wm = maxSeen - disorder - 1;
            if (wm >= fireAt) {
                fireAt = completeSessions(wm, sessions, byEnd, results);
            }
        }
        completeSessions(Long.MAX_VALUE, sessions, byEnd, results);
    }

    /** Adds a bid at {@code t} to the bidder's sessions, merging all it touches; returns a new session, if one was made. */
    private static Session addBid(HashMap<Long, Session> sessions, Session head, long bidder, long t) {
        Session survivor = null;
        Session previous = null;
        for (Session s = head; s != null; s = s.next) {
            if (s.start <= t + GAP && s.end >= t) {
                if (survivor == null) {
                    survivor = s;
                    survivor.start = Math.min(s.start, t);
                    survivor.end = Math.max(s.end, t + GAP);
                    survivor.bids++;
                    previous = s;
                } else { // the bid bridges two sessions
                    survivor.start = Math.min(survivor.start, s.start);
                    survivor.end = Math.max(survivor.end, s.end);
                    survivor.bids += s.bids;
                    s.merged = true;
                    previous.next = s.next;
                }
            } else {
                previous = s;
            }
        }
        if (survivor != null) {
            return null;
        }
        Session created = new Session(bidder, t, t + GAP);
        created.bids = 1;
        // keep the list sorted by start
        if (head == null || t < head.start) {
            created.next = head;
            sessions.put(bidder, created);
        } else {
            Session s = head;
            while (s.next != null && s.next.start < t) {
                s = s.next;
            }
            created.next = s.next;
            s.next = created;
        }
        return created;
    }

    private static long completeSessions(long wm, HashMap<Long, Session> sessions, PriorityQueue<Session> byEnd,
            Consumer<Object> results) {
        Session s;
        while ((s = byEnd.peek()) != null && s.queuedEnd <= wm) {
            byEnd.poll();
            if (s.merged) {
                continue;
            }
            if (s.end > s.queuedEnd) {
                s.queuedEnd = s.end;
                byEnd.add(s);
                continue;
            }
            results.accept(new BidderSession(s.bidder, s.start, s.end, s.bids));
            Session head = sessions.get(s.bidder);
            if (head == s) {
                if (s.next == null) {
                    sessions.remove(s.bidder);
                } else {
                    sessions.put(s.bidder, s.next);
                }
            } else {
                Session p = head;
                while (p.next != s) {
                    p = p.next;
                }
                p.next = s.next;
            }
        }
        return s == null ? Long.MAX_VALUE : s.queuedEnd;
    }
}
