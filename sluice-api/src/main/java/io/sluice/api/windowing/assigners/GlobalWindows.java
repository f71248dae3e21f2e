package io.sluice.api.windowing.assigners;

import io.sluice.api.types.TypeSerializer;
import io.sluice.api.windowing.GlobalWindow;
import io.sluice.api.windowing.Trigger;
import io.sluice.api.windowing.WindowAssigner;
import io.sluice.api.windowing.triggers.NeverTrigger;
import java.util.Collection;
import java.util.List;

/**
 * Every record of a key into the one {@link GlobalWindow}. Its default trigger never fires: give one, e.g.
 * {@code trigger(PurgingTrigger.of(CountTrigger.of(n)))} (what {@code countWindow(n)} does). The window never ends,
 * so its contents are never cleaned up by time; purge them with the trigger.
 */
public final class GlobalWindows implements WindowAssigner<Object, GlobalWindow> {
    private static final List<GlobalWindow> ONLY = List.of(GlobalWindow.get());

    private GlobalWindows() {}

    public static GlobalWindows create() {
        return new GlobalWindows();
    }

    @Override
    public Collection<GlobalWindow> assignWindows(Object element, long timestamp, AssignerContext context) {
        return ONLY;
    }

    @Override
    public Trigger<Object, ? super GlobalWindow> defaultTrigger() {
        return NeverTrigger.create();
    }

    @Override
    public TypeSerializer<GlobalWindow> windowSerializer() {
        return GlobalWindow.serializer();
    }

    @Override
    public boolean isEventTime() {
        return false;
    }

    @Override
    public String toString() {
        return "GlobalWindows";
    }
}
