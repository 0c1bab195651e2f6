package nl.wmogateway.ops;

import java.util.ArrayList;
import java.util.List;

/**
 * The pilot figures as bar charts, laid out on the server: the console draws them as inline SVG
 * (no script), and the same numbers stand in a table beside each chart for screen readers and
 * for copying.
 */
public record Grafieken(Grafiek doorlooptijden, Grafiek aanvragen, Grafiek teruggestuurd) {

    static final int BREEDTE = 640;
    static final int HOOGTE = 220;
    static final int MARGE_LINKS = 48;
    static final int MARGE_ONDER = 40;
    static final int MARGE_BOVEN = 16;

    /** One bar: its place, its height, its label and the value it stands for. */
    public record Staaf(int x, int y, int breedte, int hoogte, String label, String waarde, int labelX) {}

    /** A gridline on the value axis. */
    public record Lijn(int y, String waarde) {}

    /** One chart. */
    public record Grafiek(
            String titel, String eenheid, List<Staaf> staven, List<Lijn> lijnen, int breedte, int hoogte) {
        public int basis() {
            return hoogte - MARGE_ONDER;
        }

        public int links() {
            return MARGE_LINKS;
        }

        public boolean leeg() {
            return staven.stream().allMatch(s -> s.hoogte() == 0);
        }
    }

    static Grafieken of(Pilotcijfers.Periode periode) {
        List<String> klassen = periode.doorlooptijden().stream()
                .map(Pilotcijfers.Klasse::label)
                .toList();
        List<Double> aantallen =
                periode.doorlooptijden().stream().map(k -> (double) k.aantal()).toList();
        List<String> weken =
                periode.weken().stream().map(w -> w.week().substring(5)).toList();
        return new Grafieken(
                grafiek("Doorlooptijd plan → beschikking", "aanvragen", klassen, aantallen, false),
                grafiek(
                        "Aanvragen per week",
                        "aanvragen",
                        weken,
                        periode.weken().stream()
                                .map(w -> (double) w.aanvragen())
                                .toList(),
                        false),
                grafiek(
                        "Teruggestuurd per week",
                        "%",
                        weken,
                        periode.weken().stream()
                                .map(Pilotcijfers.Week::teruggestuurdProcent)
                                .toList(),
                        true));
    }

    private static Grafiek grafiek(
            String titel, String eenheid, List<String> labels, List<Double> values, boolean percent) {
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double top = percent ? 100 : niceCeiling(max);
        int plotWidth = BREEDTE - MARGE_LINKS - 8;
        int plotHeight = HOOGTE - MARGE_ONDER - MARGE_BOVEN;
        int n = Math.max(labels.size(), 1);
        int slot = plotWidth / n;
        int bar = Math.max(2, (int) (slot * 0.7));
        List<Staaf> staven = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            double v = values.get(i);
            int h = top == 0 ? 0 : (int) Math.round(plotHeight * v / top);
            int x = MARGE_LINKS + i * slot + (slot - bar) / 2;
            staven.add(new Staaf(
                    x,
                    HOOGTE - MARGE_ONDER - h,
                    bar,
                    h,
                    labels.get(i),
                    percent ? Pilotcijfers.decimal(v) : String.valueOf(Math.round(v)),
                    x + bar / 2));
        }
        List<Lijn> lijnen = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            double v = top * i / 4;
            lijnen.add(new Lijn(
                    HOOGTE - MARGE_ONDER - (int) Math.round(plotHeight * i / 4.0),
                    v == Math.rint(v) ? String.valueOf((long) v) : Pilotcijfers.decimal(v)));
        }
        return new Grafiek(titel, eenheid, staven, lijnen, BREEDTE, HOOGTE);
    }

    /** 1, 2, 4, 5, 8, 10, 20, 40, 50, ...: a round top for the value axis. */
    static double niceCeiling(double max) {
        if (max <= 4) {
            return 4;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
        for (double step : new double[] {1, 2, 4, 5, 8, 10}) {
            if (step * magnitude >= max) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
