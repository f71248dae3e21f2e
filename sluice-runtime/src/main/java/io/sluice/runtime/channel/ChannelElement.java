package io.sluice.runtime.channel;

/**
 * What travels on a channel: a batch of records or a control event. Sealed, and so is {@link ControlEvent}: every
 * consumer's switch over the events is exhaustive, and a new kind of element (e.g. a cancel marker of the network
 * runtime) is a new {@link ControlEvent}, which the compiler makes each switch handle.
 */
public sealed interface ChannelElement permits RecordBatch, ControlEvent {}
