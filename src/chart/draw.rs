//! Drawing a [`Plot`] with plotters' SVG backend: text is written as SVG
//! `<text>` elements, so no font file is read and nothing is rasterised.

use std::io;
use std::ops::Range;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordi64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Plot, BAR, MAX_SERIES};
use crate::{thousands, Error};

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Tableau's ten colours and two more, one a series.
const COLOURS: [RGBColor; MAX_SERIES] = [
    RGBColor(78, 121, 167),
    RGBColor(242, 142, 43),
    RGBColor(225, 87, 89),
    RGBColor(118, 183, 178),
    RGBColor(89, 161, 79),
    RGBColor(237, 201, 72),
    RGBColor(176, 122, 161),
    RGBColor(255, 157, 167),
    RGBColor(156, 117, 95),
    RGBColor(186, 176, 172),
    RGBColor(31, 59, 115),
    RGBColor(140, 209, 125),
];

const FONT: &str = "sans-serif";
/// Font sizes as plotters takes them (it writes `size / 1.24` pixels).
const TITLE: f64 = 24.0;
const SUBTITLE: f64 = 16.0;
const LABEL: f64 = 15.0;

pub(super) fn svg(
    plot: &Plot,
    title: &str,
    subtitle: &str,
    measure: &str,
    size: (u32, u32),
) -> Result<String, Error> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        root.fill(&WHITE).map_err(fail)?;
        let mut body = root.margin(6, 0, 0, 0);
        for line in wrap(title, size.0, TITLE) {
            body = body
                .titled(&line, (FONT, TITLE).into_font().style(FontStyle::Bold))
                .map_err(fail)?;
        }
        let grey = (FONT, SUBTITLE).into_font().color(&RGBColor(80, 80, 80));
        for line in wrap(subtitle, size.0, SUBTITLE) {
            body = body.titled(&line, grey.clone()).map_err(fail)?;
        }
        let legend_width = legend_width(plot, size.0);
        let (area, legend) = body.split_horizontally(size.0 - legend_width);
        draw_chart(plot, &area, measure, size.0 - legend_width)?;
        if has_legend(plot) {
            draw_legend(plot, &legend, legend_width)?;
        }
        root.present().map_err(fail)?;
    }
    Ok(out)
}

type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<Axis<'a>, RangedCoordi64>>;

fn draw_chart(plot: &Plot, area: &Area<'_>, measure: &str, width: u32) -> Result<(), Error> {
    let (y_lo, y_hi) = y_range(plot);
    let y_label_chars = signed_thousands(y_lo).len().max(signed_thousands(y_hi).len());
    let y_label_width = text_width(y_label_chars, LABEL) + 30;
    let widest = plot.ticks.iter().map(|t| t.1.chars().count()).max().unwrap_or(1);
    let room = width.saturating_sub(y_label_width + 24);
    let fit = (room / (text_width(widest, LABEL) + 12)).max(1) as usize;
    // Each cluster of bars needs its own label: upright when they do not
    // fit side by side (plotters' own labels are centred, so these are
    // drawn here).
    let upright = plot.bars && plot.ticks.len() > fit;
    let x_axis = Axis { lo: plot.x_range.0, hi: plot.x_range.1, ticks: &plot.ticks };
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(if upright { text_width(widest, LABEL) + 40 } else { 48 })
        .y_label_area_size(y_label_width)
        .build_cartesian_2d(x_axis, y_lo..y_hi)
        .map_err(fail)?;
    let y_label = |y: &i64| signed_thousands(*y);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(if upright { 0 } else { fit })
        .y_labels(8)
        .y_label_formatter(&y_label)
        .x_desc(plot.x_name.as_str())
        .y_desc(measure)
        .label_style((FONT, LABEL))
        .axis_desc_style((FONT, LABEL + 1.0))
        .bold_line_style(RGBColor(225, 225, 225))
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(fail)?;
    if upright {
        draw_upright_labels(plot, &chart, area, y_lo)?;
    }
    draw_series(plot, &mut chart)
}

/// A label under each cluster of bars, reading upwards, ending at the axis.
fn draw_upright_labels(
    plot: &Plot,
    chart: &Chart<'_, '_>,
    area: &Area<'_>,
    y_lo: i64,
) -> Result<(), Error> {
    let font = (FONT, LABEL).into_font().transform(FontTransform::Rotate270);
    let style = TextStyle::from(font).pos(Pos::new(HPos::Right, VPos::Center));
    let (base_x, base_y) = area.get_base_pixel();
    for (x, label) in &plot.ticks {
        let (px, py) = chart.backend_coord(&(*x, y_lo));
        let at = (px - base_x, py - base_y + 6);
        area.draw(&Text::new(label.as_str(), at, style.clone())).map_err(fail)?;
    }
    Ok(())
}

/// Bars, or lines with a dot at each point.
fn draw_series(plot: &Plot, chart: &mut Chart<'_, '_>) -> Result<(), Error> {
    for (s, colour) in plot.series.iter().zip(COLOURS) {
        for run in &s.runs {
            if plot.bars {
                let bar = |&(x, v): &(i64, i64)| {
                    Rectangle::new([(x + 1, 0), (x + BAR - 1, v)], colour.filled())
                };
                chart.draw_series(run.iter().map(bar)).map_err(fail)?;
                continue;
            }
            if run.len() > 1 {
                let line = LineSeries::new(run.iter().copied(), colour.stroke_width(2));
                chart.draw_series(line).map_err(fail)?;
            }
            let dot = |&p: &(i64, i64)| Circle::new(p, 4, colour.filled());
            chart.draw_series(run.iter().map(dot)).map_err(fail)?;
        }
    }
    Ok(())
}

/// The legend: a swatch and a label a series, right of the chart.
fn draw_legend(plot: &Plot, area: &Area<'_>, width: u32) -> Result<(), Error> {
    let style = (FONT, LABEL).into_font();
    let max_chars = ((width.saturating_sub(40)) / text_width(1, LABEL).max(1)) as usize;
    let mut top = 16;
    if !plot.legend_name.is_empty() {
        let heading = style.clone().style(FontStyle::Bold);
        area.draw(&Text::new(shorten(&plot.legend_name, max_chars), (4, top), heading))
            .map_err(fail)?;
        top += 24;
    }
    for (i, (s, colour)) in plot.series.iter().zip(COLOURS).enumerate() {
        let y = top + 22 * i as i32;
        area.draw(&Rectangle::new([(4, y + 1), (18, y + 13)], colour.filled())).map_err(fail)?;
        area.draw(&Text::new(shorten(&s.label, max_chars), (26, y), style.clone()))
            .map_err(fail)?;
    }
    Ok(())
}

/// How many clusters of bars a chart `width` pixels wide can label one by
/// one (labels turned upright when they need to be).
pub(super) fn max_clusters(width: u32) -> usize {
    ((width - width / 3).saturating_sub(100) / 16).max(1) as usize
}

/// Whether a legend is drawn: not for one series that no dimension names
/// (the y axis names it).
fn has_legend(plot: &Plot) -> bool {
    plot.series.len() > 1 || !plot.legend_name.is_empty()
}

/// Room for the longest legend label, at most a third of the chart.
fn legend_width(plot: &Plot, width: u32) -> u32 {
    if !has_legend(plot) {
        return 0;
    }
    let longest = plot.series.iter().map(|s| s.label.chars().count()).max().unwrap_or(0);
    let longest = longest.max(plot.legend_name.chars().count() + 2);
    (text_width(longest, LABEL) + 44).min(width / 3)
}

/// `s` cut to `max` characters, the last one an ellipsis.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Words of `s` in lines that fit `width` pixels at font size `size`.
fn wrap(s: &str, width: u32, size: f64) -> Vec<String> {
    let max = ((width.saturating_sub(40)) / text_width(1, size).max(1)) as usize;
    let mut lines: Vec<String> = Vec::new();
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Plotters' own estimate of a text's width without font files.
fn text_width(chars: usize, size: f64) -> u32 {
    (size / 1.24 / 1.24 * 0.7 * chars as f64).ceil() as u32
}

/// The y axis: zero and every value, with a tenth of the span above (and
/// below, when values are negative).
fn y_range(plot: &Plot) -> (i64, i64) {
    let values = plot.series.iter().flat_map(|s| s.runs.iter().flatten().map(|p| i128::from(p.1)));
    let (lo, hi) = values.fold((0i128, 0i128), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let pad = ((hi - lo) / 10).max(1);
    let lo = if lo < 0 { lo - pad } else { 0 };
    let clamp = |v: i128| i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX });
    (clamp(lo), clamp(hi + pad))
}

/// `-12345` as `-12,345`.
fn signed_thousands(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    format!("{sign}{}", thousands(v.unsigned_abs()))
}

fn fail(e: impl std::fmt::Display) -> Error {
    Error::Io { file: "chart".into(), source: io::Error::other(e.to_string()) }
}

/// An x axis whose labelled points are given: bucket starts, or bar
/// clusters' middles. Too many to fit are thinned evenly.
struct Axis<'a> {
    lo: i64,
    hi: i64,
    /// Positions and labels, in order.
    ticks: &'a [(i64, String)],
}

impl ValueFormatter<i64> for Axis<'_> {
    fn format(value: &i64) -> String {
        value.to_string()
    }

    fn format_ext(&self, value: &i64) -> String {
        match self.ticks.binary_search_by_key(value, |t| t.0) {
            Ok(i) => self.ticks[i].1.clone(),
            Err(_) => String::new(),
        }
    }
}

impl Ranged for Axis<'_> {
    type FormatOption = NoDefaultFormatting;
    type ValueType = i64;

    fn map(&self, value: &i64, limit: (i32, i32)) -> i32 {
        let span = (self.hi - self.lo).max(1) as f64;
        let share = (*value - self.lo) as f64 / span;
        limit.0 + (share * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<i64> {
        let max = hint.max_num_points();
        if max == 0 {
            return Vec::new();
        }
        let step = self.ticks.len().div_ceil(max).max(1);
        self.ticks.iter().step_by(step).map(|t| t.0).collect()
    }

    fn range(&self) -> Range<i64> {
        self.lo..self.hi
    }
}
