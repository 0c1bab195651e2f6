package nl.wmogateway.iwmo;

import java.time.LocalDate;

/**
 * The parties and identification of one iWmo heenbericht.
 *
 * @param afzender       sender: gemeentecode (4 digits) or AGB code (8 digits)
 * @param ontvanger      receiver: the other party's code
 * @param identificatie  BerichtIdentificatie/Identificatie, 1..12 characters, unique per berichtsoort per sender (TR056)
 * @param dagtekening    BerichtIdentificatie/Dagtekening, not after today (TR135)
 */
public record IwmoHeader(String afzender, String ontvanger, String identificatie, LocalDate dagtekening) {}
