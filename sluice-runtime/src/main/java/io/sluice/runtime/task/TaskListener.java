package io.sluice.runtime.task;

/** How a task reports to whoever runs the job. Called on the task's thread. */
public interface TaskListener {

    /** The task failed; {@code failure} names the operator where known. */
    void onFailure(Task task, Throwable failure);

    /** The task's thread is about to end, after success or failure; always the last call. */
    void onTerminated(Task task);
}
