"""The PDF gives a short column the width of its longest cell, so a period or an amount with its unit never breaks."""

from reportlab.pdfbase import pdfmetrics

from reports.content import ReportTable
from reports.pdf import CELL_SIZE, FONT, FRAME_WIDTH, column_widths, register_font


def test_short_columns_fit_their_longest_cell_and_the_wide_share_the_rest():
    register_font()
    periods = ["2017—2019年累计", "2017—2019年年均"]
    table = ReportTable(
        "spans",
        "跨年度数值",
        ["指标", "统计期间", "数值", "备注", "来源"],
        [["知识产权授权", period, "8,600万元", "近三年累计。", "《湖南怀化》"] for period in periods],
        wide=[3, 4],
    )
    columns = table.print_columns()
    widths = column_widths(table, columns, table.rows)
    assert abs(sum(widths) - FRAME_WIDTH) < 0.01
    assert widths[1] >= pdfmetrics.stringWidth(periods[0], FONT, CELL_SIZE) + 8
    assert widths[2] >= pdfmetrics.stringWidth("8,600万元", FONT, CELL_SIZE) + 8
    assert widths[3] == widths[4] > widths[1]
