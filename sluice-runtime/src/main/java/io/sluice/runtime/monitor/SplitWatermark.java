package io.sluice.runtime.monitor;

/**
 * The watermark of one source split as its reader holds it.
 *
 * @param vertexId  the source's vertex
 * @param subtask   the reader's subtask
 * @param split     the split's id
 * @param watermark its watermark ({@link Long#MIN_VALUE}: none yet)
 * @param idle      whether the split is idle (it then holds nothing back)
 */
public record SplitWatermark(int vertexId, int subtask, String split, long watermark, boolean idle) {}
