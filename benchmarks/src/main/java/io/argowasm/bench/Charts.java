package io.argowasm.bench;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** The report's PNG charts: plain bar charts, one figure each. */
final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;
    private static final Color[] SERIES = {
        new Color(0x1f77b4),
        new Color(0xff7f0e),
        new Color(0x2ca02c),
        new Color(0xd62728),
        new Color(0x9467bd),
        new Color(0x8c564b)
    };

    private final Path directory;

    Charts(Path directory) {
        this.directory = directory;
    }

    /** Grouped bars; on a log axis when values span orders of magnitude. */
    String bars(
            String file, String title, String valueLabel, DefaultCategoryDataset data, boolean log)
            throws IOException {
        JFreeChart chart =
                ChartFactory.createBarChart(
                        title,
                        null,
                        valueLabel,
                        data,
                        PlotOrientation.VERTICAL,
                        true,
                        false,
                        false);
        CategoryPlot plot = chart.getCategoryPlot();
        if (log) {
            LogarithmicAxis axis = new LogarithmicAxis(valueLabel);
            axis.setAllowNegativesFlag(false);
            axis.setStrictValuesFlag(false);
            axis.setAutoRangeNextLogFlag(true);
            plot.setRangeAxis(axis);
        }
        return save(file, chart);
    }

    /** Stacked bars, e.g. the phases of a cold start. */
    String stacked(String file, String title, String valueLabel, DefaultCategoryDataset data)
            throws IOException {
        JFreeChart chart =
                ChartFactory.createStackedBarChart(
                        title,
                        null,
                        valueLabel,
                        data,
                        PlotOrientation.HORIZONTAL,
                        true,
                        false,
                        false);
        return save(file, chart);
    }

    private String save(String file, JFreeChart chart) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDefaultItemLabelGenerator(
                new StandardCategoryItemLabelGenerator(
                        "{2}", new java.text.DecimalFormat("#,##0.##")));
        renderer.setDefaultItemLabelsVisible(true);
        for (int i = 0; i < SERIES.length; i++) {
            renderer.setSeriesPaint(i, SERIES[i]);
        }
        ChartUtils.saveChartAsPNG(directory.resolve(file).toFile(), chart, WIDTH, HEIGHT);
        return file;
    }
}
