package nl.wmogateway.plan;

/** A gemeente as addressed by a plan: its 4-digit CBS gemeentecode and its name. */
public record Gemeente(String gemeentecode, String naam) {}
