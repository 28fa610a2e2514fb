package io.sluice.cli.produce;

import java.io.PrintWriter;
import io.sluice.cli.Sizes;

import java.util.Locale;

/**
 * A one-line progress bar redrawn in place ({@code \r}): share of the input read, records sent, and the rate
 * since the start. Redraws at most every {@value #REDRAW_INTERVAL_MS} ms.
 *
 * <p>Not thread-safe: one producing thread draws it.
 */
final class ProgressBar
{
    static final long REDRAW_INTERVAL_MS = 200;
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final long totalBytes;
    private final long startNs;
    private long lastDrawNs;
    private boolean drawn;

    /**
     * @param out        where to draw (standard error).
     * @param totalBytes the input's size, for the share read.
     * @param startNs    when sending started ({@code System.nanoTime()}).
     */
    ProgressBar(final PrintWriter out, final long totalBytes, final long startNs)
    {
        this.out = out;
        this.totalBytes = totalBytes;
        this.startNs = startNs;
        this.lastDrawNs = startNs;
    }

    /** Redraw if it is time: {@code bytesRead} of the input read, {@code records} sent so far. */
    void update(final long bytesRead, final long records, final long nowNs)
    {
        if (nowNs - lastDrawNs >= REDRAW_INTERVAL_MS * 1_000_000L)
        {
            draw(bytesRead, records, nowNs);
        }
    }

    /** Draw the final state and end the line. */
    void finish(final long bytesRead, final long records, final long nowNs)
    {
        draw(bytesRead, records, nowNs);
        out.println();
        out.flush();
    }

    boolean drawn()
    {
        return drawn;
    }

    /** The bar's text for the given state (without the leading carriage return). */
    String render(final long bytesRead, final long records, final long nowNs)
    {
        final double share = totalBytes <= 0 ? 1.0 : Math.min(1.0, (double)bytesRead / totalBytes);
        final int filled = (int)Math.round(share * WIDTH);
        final double seconds = Math.max(1e-9, (nowNs - startNs) / 1e9);
        return String.format(Locale.ROOT, "[%s%s] %3d%%  %,d records  %,.0f records/s  %s/s",
            "#".repeat(filled), ".".repeat(WIDTH - filled), Math.round(share * 100), records, records / seconds,
            Sizes.bytes(bytesRead / seconds));
    }

    private void draw(final long bytesRead, final long records, final long nowNs)
    {
        lastDrawNs = nowNs;
        drawn = true;
        out.print('\r' + render(bytesRead, records, nowNs));
        out.flush();
    }
}
