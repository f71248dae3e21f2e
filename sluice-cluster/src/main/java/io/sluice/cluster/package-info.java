/** The processes of a Sluice cluster: coordinator, workers, and what they say to each other. */
package io.sluice.cluster;
