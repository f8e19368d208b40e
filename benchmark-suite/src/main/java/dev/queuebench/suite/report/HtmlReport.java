package dev.queuebench.suite.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * The HTML version of the markdown report, self-contained: the markdown rendered by commonmark (with tables), each
 * chart's SVG inlined where the markdown links it, and a small style sheet. Opens in any browser without the run
 * folder around it.
 */
public final class HtmlReport {
    private static final List<org.commonmark.Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Pattern CHART = Pattern.compile("<img src=\"(charts/[\\w.-]+\\.svg)\" alt=\"[^\"]*\" />");
    private static final String STYLE = """
            body { font-family: system-ui, sans-serif; max-width: 1300px; margin: 2em auto; padding: 0 1em;
                   color: #222; line-height: 1.45; }
            table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; display: block;
                    max-width: 100%; overflow-x: auto; }
            th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; vertical-align: top; }
            th { background: #f0f3f7; }
            tr:nth-child(even) td { background: #fafbfc; }
            td:not(:first-child) { font-variant-numeric: tabular-nums; }
            code { background: #f3f3f3; padding: 0 0.2em; font-size: 0.88em; word-break: break-all; }
            blockquote { border-left: 4px solid #e0a800; background: #fff8e1; margin: 1em 0; padding: 0.5em 1em; }
            figure.chart { margin: 1em 0; }
            figure.chart svg { max-width: 100%; height: auto; }
            h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
            """;

    private HtmlReport() {}

    /** The page for {@code markdown}, with the charts it links read from {@code folder} and inlined. */
    public static String render(String title, String markdown, Path folder) throws IOException {
        String body = HtmlRenderer.builder().extensions(EXTENSIONS).build()
                .render(Parser.builder().extensions(EXTENSIONS).build().parse(markdown));
        Matcher chart = CHART.matcher(body);
        StringBuilder inlined = new StringBuilder();
        while (chart.find()) {
            String svg = Files.readString(folder.resolve(chart.group(1)), StandardCharsets.UTF_8);
            chart.appendReplacement(inlined, Matcher.quoteReplacement(
                    "<figure class=\"chart\">" + svg.substring(svg.indexOf("<svg")) + "</figure>"));
        }
        chart.appendTail(inlined);
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + title
                + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n" + inlined + "</body>\n</html>\n";
    }
}
