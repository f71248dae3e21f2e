package io.sluice.examples;

import io.sluice.api.DataStream;
import io.sluice.api.functions.OutputTag;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.functions.AggregateFunction;
import io.sluice.api.functions.Collector;
import io.sluice.api.types.Types;
import io.sluice.api.windowing.ProcessWindowFunction;
import io.sluice.api.windowing.TimeWindow;
import io.sluice.api.windowing.WindowAssigner;
import io.sluice.api.windowing.assigners.EventTimeSessionWindows;
import io.sluice.api.windowing.assigners.SlidingEventTimeWindows;
import io.sluice.api.windowing.assigners.TumblingEventTimeWindows;
import io.sluice.connectors.file.TextFileSink;
import io.sluice.connectors.file.TextFileSource;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts records per key and event-time window. Input lines are {@code key,timestampMillis}; output is one
 * {@code key<TAB>windowStart<TAB>windowEnd<TAB>count} line per window (end exclusive; for a session, start is its
 * first timestamp and end its last timestamp plus the gap). Watermarks trail the largest timestamp seen by the
 * out-of-orderness bound; records whose windows have all fired by the time they arrive are late: they go to a side
 * output, counted by the sink {@value #LATE_SINK}. A malformed line fails the job, naming the line.
 */
public final class WindowCount {
    private WindowCount() {}

    /** The name of the operator that receives late records: its records-in count is the number of late records. */
    public static final String LATE_SINK = "Late records";

    /** A parsed input line. */
    public record Event(String key, long timestamp) {}

    static final OutputTag<Event> LATE = new OutputTag<>("late", Types.of(Event.class));

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    /** Adds the job reading {@code input} and writing {@code output} (one file) to {@code env}. */
    public static void define(StreamEnvironment env, String input, String output, String windowSpec, Duration outOfOrderness) {
        WindowAssigner<Object, TimeWindow> assigner = parseWindow(windowSpec);
        DataStream<String> lines = env.fromSource(new TextFileSource(input), "Read " + input);
        DataStream<String> counts = counts(lines, assigner, outOfOrderness);
        counts.sinkTo(new TextFileSink<>(output)).name("Write " + output).setParallelism(1);
        counts.getSideOutput(LATE).sinkTo(new io.sluice.api.sink.DiscardingSink<>()).name(LATE_SINK).setParallelism(1);
    }

    /**
     * The window counts of a stream of {@code key,timestampMillis} lines, as output lines; watermarks trail the largest
     * timestamp by {@code outOfOrderness} (emitted periodically, so which records turn out late depends on timing).
     */
    public static DataStream<String> counts(DataStream<String> lines, WindowAssigner<Object, TimeWindow> assigner,
            Duration outOfOrderness) {
        return counts(lines, assigner, WatermarkStrategy.forBoundedOutOfOrderness(outOfOrderness));
    }

    /** The same with the watermarks of {@code watermarks} (its timestamps are replaced by the lines' timestamps). */
    public static DataStream<String> counts(DataStream<String> lines, WindowAssigner<Object, TimeWindow> assigner,
            WatermarkStrategy<Event> watermarks) {
        return lines.flatMap(WindowCount::parse, Types.of(Event.class)).name("Parse")
                .assignTimestampsAndWatermarks(watermarks.withTimestampAssigner((event, previous) -> event.timestamp()))
                .keyBy(Event::key, Types.STRING)
                .window(assigner)
                .sideOutputLateData(LATE)
                .aggregate(new CountRecords(), new FormatWindow(), Types.STRING).name("Count per window");
    }

    /** The late records of a stream built by {@link #counts}. */
    public static DataStream<Event> lateRecords(DataStream<String> counts) {
        return counts.getSideOutput(LATE);
    }

    /** Parses {@code key,timestampMillis}; blank lines are skipped, anything else fails naming the line. */
    static void parse(String line, Collector<Event> out) {
        if (line.isBlank()) {
            return;
        }
        int comma = line.indexOf(',');
        String key = comma < 0 ? "" : line.substring(0, comma).strip();
        String ts = comma < 0 ? "" : line.substring(comma + 1).strip();
        try {
            if (key.isEmpty()) {
                throw new NumberFormatException();
            }
            out.collect(new Event(key, Long.parseLong(ts)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed input line '" + line + "': expected key,timestampMillis");
        }
    }

    /**
     * A window spec: {@code tumbling:SIZE}, {@code sliding:SIZE/SLIDE} or {@code session:GAP}, durations as in
     * {@link #parseDuration}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static WindowAssigner<Object, TimeWindow> parseWindow(String spec) {
        String s = spec.strip().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        String args = colon < 0 ? "" : s.substring(colon + 1);
        try {
            return switch (kind) {
                case "tumbling" -> TumblingEventTimeWindows.of(parseDuration(args));
                case "sliding" -> {
                    int slash = args.indexOf('/');
                    if (slash < 0) {
                        throw new IllegalArgumentException("sliding windows need SIZE/SLIDE");
                    }
                    yield SlidingEventTimeWindows.of(parseDuration(args.substring(0, slash)),
                            parseDuration(args.substring(slash + 1)));
                }
                case "session" -> EventTimeSessionWindows.withGap(parseDuration(args));
                default -> throw new IllegalArgumentException("unknown kind '" + kind + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad window '" + spec + "' (" + e.getMessage()
                    + "); expected tumbling:SIZE, sliding:SIZE/SLIDE or session:GAP, e.g. tumbling:10s, sliding:10s/2s, session:5s");
        }
    }

    /** A duration like {@code 500ms}, {@code 10s}, {@code 2m} or {@code 1h}; {@code 0} alone means zero. */
    public static Duration parseDuration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad duration '" + text + "': expected a number and a unit (ms, s, m, h), e.g. 500ms, 10s, 2m");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad duration '" + text + "': too large");
        }
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** One count per key and window: an incremental aggregate. */
    static final class CountRecords implements AggregateFunction<Event, Long, Long> {
        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(Event value, Long count) {
            return count + 1;
        }

        @Override
        public Long getResult(Long count) {
            return count;
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }
    }

    /** {@code key<TAB>start<TAB>end<TAB>count}. */
    static final class FormatWindow implements ProcessWindowFunction<Long, String, String, TimeWindow> {
        @Override
        public void process(String key, Context<TimeWindow> context, Iterable<Long> counts, Collector<String> out) {
            TimeWindow w = context.window();
            for (long count : counts) {
                out.collect(key + "\t" + w.start() + "\t" + (w.maxTimestamp() + 1) + "\t" + count);
            }
        }
    }
}
