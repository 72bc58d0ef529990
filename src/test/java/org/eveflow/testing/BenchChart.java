package org.eveflow.testing;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws the live bench's results ({@code results.tsv} of {@code src/bench/live-suricata.sh}) as a PNG:
 * for each rate and reader the median of the runs as a bar and their range as a whisker, in two
 * panels, records lost at Suricata's socket (%) and the reader's CPU per record (µs).
 *
 * <pre>java -cp target/test-classes org.eveflow.testing.BenchChart RESULTS.tsv OUT.png [TITLE]</pre>
 *
 * Headless AWT; needs a font (fontconfig), as Debian's JDK has with fonts-dejavu-core.
 */
public final class BenchChart {
    private static final int WIDTH = 900;
    private static final int PANEL_HEIGHT = 260;
    private static final Color[] COLOURS = {new Color(0x2b6cb0), new Color(0xc05621), new Color(0x718096),
        new Color(0x2f855a)};

    private BenchChart() {
    }

    /** One reader at one rate: the values of its runs. */
    record Series(String rate, String reader, double[] lost, double[] cpu) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: BenchChart RESULTS.tsv OUT.png [TITLE]");
            System.exit(2);
        }
        List<Series> series = read(Path.of(args[0]));
        String title = args.length > 2 ? args[2] : "eveflow live bench";
        System.setProperty("java.awt.headless", "true");
        ImageIO.write(draw(series, title), "png", Path.of(args[1]).toFile());
    }

    static List<Series> read(Path tsv) throws IOException {
        List<String> lines = Files.readAllLines(tsv);
        List<String> head = Arrays.asList(lines.get(0).split("\t"));
        int rate = head.indexOf("rate");
        int reader = head.indexOf("reader");
        int lost = head.indexOf("lost_pct");
        int cpu = head.indexOf("cpu_us_per_rec");
        Map<String, List<double[]>> runs = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            runs.computeIfAbsent(f[rate] + "\t" + f[reader], k -> new ArrayList<>())
                    .add(new double[] {Double.parseDouble(f[lost]), Double.parseDouble(f[cpu])});
        }
        List<Series> out = new ArrayList<>();
        runs.forEach((key, values) -> {
            String[] k = key.split("\t");
            out.add(new Series(k[0], k[1], values.stream().mapToDouble(v -> v[0]).toArray(),
                    values.stream().mapToDouble(v -> v[1]).toArray()));
        });
        return out;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static BufferedImage draw(List<Series> series, String title) {
        BufferedImage img = new BufferedImage(WIDTH, 70 + 2 * (PANEL_HEIGHT + 40), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 20, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("bars: median of the runs; whiskers: lowest and highest run", 20, 48);
        List<String> readers = series.stream().map(Series::reader).distinct().toList();
        panel(g, series, readers, 70, "records lost at Suricata's socket (%)", true);
        panel(g, series, readers, 70 + PANEL_HEIGHT + 40, "reader CPU per received record (µs)", false);
        g.dispose();
        return img;
    }

    private static void panel(Graphics2D g, List<Series> series, List<String> readers, int top, String label,
                              boolean lost) {
        int left = 70;
        int right = WIDTH - 20;
        int bottom = top + PANEL_HEIGHT - 30;
        double max = 0;
        for (Series s : series) {
            for (double v : lost ? s.lost() : s.cpu()) {
                max = Math.max(max, v);
            }
        }
        max = niceCeiling(max);
        g.setColor(Color.BLACK);
        g.drawString(label, left, top + 12);
        g.setColor(new Color(0xdddddd));
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i <= 4; i++) {
            int y = bottom - (int) ((bottom - top - 24) * i / 4.0);
            g.setColor(new Color(0xdddddd));
            g.drawLine(left, y, right, y);
            g.setColor(Color.DARK_GRAY);
            String t = String.format(Locale.ROOT, "%.1f", max * i / 4);
            g.drawString(t, left - 8 - fm.stringWidth(t), y + 4);
        }
        List<String> rates = series.stream().map(Series::rate).distinct().toList();
        int groupWidth = (right - left) / Math.max(1, rates.size());
        int barWidth = Math.min(80, (groupWidth - 40) / Math.max(1, readers.size()));
        for (int r = 0; r < rates.size(); r++) {
            int x0 = left + r * groupWidth + (groupWidth - barWidth * readers.size()) / 2;
            for (int i = 0; i < readers.size(); i++) {
                String reader = readers.get(i);
                String rate = rates.get(r);
                Series s = series.stream().filter(x -> x.rate().equals(rate) && x.reader().equals(reader))
                        .findFirst().orElse(null);
                if (s == null) {
                    continue;
                }
                double[] v = lost ? s.lost() : s.cpu();
                int x = x0 + i * barWidth;
                int h = (int) ((bottom - top - 24) * median(v) / max);
                g.setColor(COLOURS[i % COLOURS.length]);
                g.fillRect(x + 6, bottom - h, barWidth - 12, h);
                double lo = Arrays.stream(v).min().orElse(0);
                double hi = Arrays.stream(v).max().orElse(0);
                int ylo = bottom - (int) ((bottom - top - 24) * lo / max);
                int yhi = bottom - (int) ((bottom - top - 24) * hi / max);
                int cx = x + barWidth / 2;
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke(1.5f));
                g.drawLine(cx, ylo, cx, yhi);
                g.drawLine(cx - 5, ylo, cx + 5, ylo);
                g.drawLine(cx - 5, yhi, cx + 5, yhi);
                String m = String.format(Locale.ROOT, "%.1f", median(v));
                g.drawString(m, cx - fm.stringWidth(m) / 2, Math.min(bottom - h, yhi) - 4);
                g.drawString(reader, cx - fm.stringWidth(reader) / 2, bottom + 14);
            }
            String rl = rates.get(r) + " packets/s";
            g.setColor(Color.DARK_GRAY);
            g.drawString(rl, left + r * groupWidth + (groupWidth - fm.stringWidth(rl)) / 2, bottom + 28);
        }
    }

    private static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double step = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * step >= v * 1.1) {
                return m * step;
            }
        }
        return 10 * step;
    }
}
