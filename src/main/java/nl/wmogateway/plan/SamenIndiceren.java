package nl.wmogateway.plan;

/**
 * The Samen-indiceren conditions the plan must show.
 *
 * @param betrokkenheid        how and since when the professional has been involved with the client
 * @param redenSamenIndiceren  why the client cannot make the Wmo request alone or is relieved of it
 */
public record SamenIndiceren(String betrokkenheid, String redenSamenIndiceren) {}
