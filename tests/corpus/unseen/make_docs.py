"""Generate the plan documents (.docx) of the unseen corpus part.

Run from anywhere:  python tests/corpus/unseen/make_docs.py
The output is deterministic: fixed core properties and fixed zip timestamps, so running the
script again gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"
FIXED = dt.datetime(2026, 11, 20, 9, 0, 0)


def _fonts(doc: Document) -> None:
    style = doc.styles["Normal"]
    style.font.name = "함초롬바탕"
    style.font.size = Pt(11)
    rpr = style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), "함초롬바탕")


def _table(doc: Document, rows: list[list[str]], header: bool = False) -> None:
    table = doc.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            lines = text.split("\n")
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
            if header and i == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


def _save(doc: Document, name: str, title: str) -> None:
    props = doc.core_properties
    props.author = "unseen-corpus"
    props.last_modified_by = "unseen-corpus"
    props.title = title
    props.created = FIXED
    props.modified = FIXED
    props.last_printed = FIXED
    props.revision = 1
    raw = io.BytesIO()
    doc.save(raw)
    # re-pack with fixed timestamps and a fixed order so the bytes do not change
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 11, 20, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    (DOCS / name).write_bytes(out.getvalue())


def _title(doc: Document, text: str, size: int = 16) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(size)


def sejong() -> None:
    """u09: 세종특별자치시 스마트도시계획 (plan with 목차 and a 비전체계 table)."""
    doc = Document()
    _fonts(doc)
    _title(doc, "세종특별자치시 스마트도시계획(2025~2029)")
    _title(doc, "최종보고서 요약본", 13)
    doc.add_paragraph("2024. 12.")
    doc.add_paragraph("세종특별자치시")
    doc.add_paragraph("목 차")
    for line in [
        "Ⅰ. 계획의 개요 ··························· 1",
        "Ⅱ. 여건 분석 ····························· 4",
        "Ⅲ. 비전 및 목표 ·························· 9",
        "Ⅳ. 추진과제 ······························ 12",
        "  1. 시민 체감형 스마트 서비스 확산 ········ 13",
        "  2. 데이터 기반 도시 운영 ················ 17",
        "  3. 스마트 모빌리티 혁신 ················ 21",
        "  4. 스마트 산업 생태계 조성 ·············· 25",
        "Ⅴ. 추진체계 및 재원 ······················ 29",
    ]:
        doc.add_paragraph(line)
    doc.add_paragraph("Ⅰ. 계획의 개요")
    doc.add_paragraph(
        "이 계획은 「스마트도시 조성 및 산업진흥 등에 관한 법률」 제8조와 「세종특별자치시 스마트도시 조성 및 "
        "운영 조례」에 따라 5년마다 수립하는 법정계획이다. 계획 기간은 2025년부터 2029년까지이며, 공간 범위는 "
        "세종특별자치시 전역이다.")
    doc.add_paragraph(
        "계획 수립 과정에서 시민 설문과 전문가 자문을 거쳤으며, 기초 연구는 한국전자통신연구원과 "
        "맺은 데이터 협력 협약에 따라 공동으로 수행하였다.")
    doc.add_paragraph("Ⅱ. 여건 분석")
    doc.add_paragraph(
        "세종시는 5-1생활권 스마트시티 국가시범도시를 중심으로 자율주행, 공유 모빌리티, 데이터 허브 실증을 "
        "이어 왔다. 국내에서는 대구 수성알파시티 등도 스마트 실증 단지를 운영하고 있으나, 도시 전체를 "
        "대상으로 한 통합 운영 모델은 아직 드물다.")
    doc.add_paragraph("Ⅲ. 비전 및 목표")
    doc.add_paragraph("<표 3-1> 세종특별자치시 스마트도시 비전체계")
    _table(doc, [
        ["구분", "내용"],
        ["비전", "시민이 만들고 누리는 글로벌 스마트시티 세종"],
        ["목표", "시민 삶의 질 향상 / 지속가능한 도시 운영 / 스마트 혁신 성장"],
        ["추진전략", "시민 체감형 스마트 서비스 확산\n데이터 기반 도시 운영\n스마트 모빌리티 혁신\n스마트 산업 생태계 조성"],
        ["세부사업", "4대 전략 18개 세부사업"],
    ], header=True)
    doc.add_paragraph("Ⅳ. 추진과제")
    doc.add_paragraph(
        "4대 전략 아래 세부사업을 배치하였다. 대표 사업은 '세종 디지털트윈 도시관리 플랫폼' 구축과 "
        "'수요응답형 자율주행 버스' 운행 확대이다.")
    doc.add_paragraph("Ⅴ. 추진체계 및 재원")
    doc.add_paragraph(
        "스마트도시 정책은 스마트도시과가 총괄하고, 세종특별자치시 스마트도시위원회가 계획과 주요 사업을 "
        "심의한다. 시민 참여 리빙랩은 세종스마트시티 시민참여센터가 맡으며, 센터 운영은 (재)세종테크노파크가 "
        "위탁받아 수행한다.")
    doc.add_paragraph("<표 5-1> 재원 계획 (단위: 억 원)")
    _table(doc, [
        ["구분", "국비", "시비", "민자", "계"],
        ["금액", "920", "860", "400", "2,180"],
    ], header=True)
    doc.add_paragraph("5년간 총사업비는 2,180억 원이다.")
    _save(doc, "u09.docx", "세종특별자치시 스마트도시계획(2025~2029) 요약본")


def chuncheon() -> None:
    """u10: 춘천시 공유경제 활성화 기본계획 (plan with 목차 and a 비전체계 table)."""
    doc = Document()
    _fonts(doc)
    _title(doc, "「나누고 잇는 공유도시 춘천」")
    _title(doc, "춘천시 공유경제 활성화 기본계획(2026~2030)", 14)
    doc.add_paragraph("2025. 10.  춘천시")
    doc.add_paragraph("목차")
    for line in [
        "1. 계획 수립 개요",
        "2. 공유경제 현황과 여건",
        "3. 비전과 목표",
        "4. 핵심전략별 정책과제",
        "  4-1. 공유 자원 발굴과 개방",
        "  4-2. 공유 플랫폼 구축",
        "  4-3. 공유 기업·단체 육성",
        "5. 추진체계",
        "6. 재원 계획",
    ]:
        doc.add_paragraph(line)
    doc.add_paragraph("1. 계획 수립 개요")
    doc.add_paragraph(
        "이 계획은 「춘천시 공유 촉진 조례」 제4조에 따라 수립하는 공유경제 분야 최초의 기본계획으로, "
        "계획 기간은 2026~2030년이다.")
    doc.add_paragraph("2. 공유경제 현황과 여건")
    doc.add_paragraph(
        "시는 2019년부터 공공시설 유휴공간 개방과 공구 대여를 시작해 지난해까지 공유 공간 54곳을 개방하였다. "
        "인근 원주시는 공유센터를 직영하고 있으며, 강릉시는 관광 분야 공유 숙박에 집중하고 있다.")
    doc.add_paragraph("3. 비전과 목표")
    doc.add_paragraph("<표 3-1> 비전체계")
    _table(doc, [
        ["비전", "나누고 잇는 공유도시 춘천"],
        ["목표", "시민 생활비 부담 완화 · 지역 공동체 회복"],
        ["핵심전략", "① 공유 자원 발굴과 개방\n② 공유 플랫폼 구축\n③ 공유 기업·단체 육성"],
        ["정책과제", "3대 핵심전략 12개 정책과제"],
    ])
    doc.add_paragraph("4. 핵심전략별 정책과제")
    doc.add_paragraph(
        "핵심전략마다 4개씩의 정책과제를 두었다. 주요 사업으로는 시민이 물건과 공간을 빌려 쓰는 통합 "
        "플랫폼 '나눔춘천' 구축과 동 행정복지센터의 공유 냉장고 '나눔곳간' 확대가 있다.")
    doc.add_paragraph("5. 추진체계")
    doc.add_paragraph(
        "시는 경제정책과에 공유경제팀을 신설해 공유 정책을 전담하도록 하고, 춘천시 공유촉진위원회가 "
        "계획의 이행을 점검한다. 공유 자원 중개와 시민 교육은 춘천시 공유경제지원센터가 맡으며, 센터는 "
        "(사)강원공유경제연구소가 위탁 운영한다. 그 밖에 관계 기관, 공유단체 등과 협력한다.")
    doc.add_paragraph("6. 재원 계획")
    _table(doc, [
        ["구분", "2026", "2027", "2028", "2029", "2030", "계"],
        ["사업비(억 원)", "14", "16", "18", "18", "20", "86"],
    ])
    doc.add_paragraph("5년간 총 86억 원을 투입한다.")
    _save(doc, "u10.docx", "춘천시 공유경제 활성화 기본계획(2026~2030)")


if __name__ == "__main__":
    DOCS.mkdir(parents=True, exist_ok=True)
    sejong()
    chuncheon()
