"""Build the seventh batch of .docx and .pdf documents of the development corpus.

Run from anywhere:  python tests/corpus/dev/make_docs7.py          (the four .docx files)
                    python tests/corpus/dev/make_docs7.py --pdf    (also the six PDFs)

The .docx output is deterministic, as in make_docs.py … make_docs6.py: fixed core properties
and fixed zip entry dates, so running the script again gives byte-identical files.  The PDFs
are made from a .docx built the same way (fonts 나눔고딕 / 나눔명조) and converted by LibreOffice
    soffice --headless --convert-to pdf --outdir <tmp> <tmp>/<id>.docx
as make_docs2.py does; the intermediate .docx is not kept.  LibreOffice stamps the time into a
PDF, so rebuilt PDFs differ byte-wise; the committed PDFs are those the gold was checked on.

This batch needs layouts the earlier builders did not write, so it has its own ``build``
(helpers for running headers, page numbers, columns and footnotes are imported from
tests/fixtures/make_documents.py).  Blocks:

  ("title", text) ("h1", text) ("h2", text) ("p", text) ("toc", [lines]) ("break",)
  ("hs", text)                    a heading written as a paragraph of the custom style
                                  "장제목" (bold, larger; not a Word heading, no number)
  ("hs2", text)                   the same, style "절제목"
  ("table", rows[, opts])         rows of cells, "\\n" for several paragraphs in a cell
  ("mtable", rows, merges[, opts])
                                  merges [(r1, c1, r2, c2), …]; a covered cell is "" in rows;
                                  opts {"widths": [cm, …], "size": pt} for column widths and
                                  the text size in the cells
  ("columns",) ("colbreak",) ("single",)   two-column part, column break, back to one column
  ("note", text)                  a footnote on the paragraph written last
  ("list", kind, [(level, text), …])
                                  a Word list: the marks come from w:numPr (numbering part),
                                  not from the text; kind "decimal" (1. / – / ·), "bullet"
                                  (○ / - / ·) or "ganada" (가. / - / ·); each list restarts at 1

Spec keys: title, author, blocks, and optionally header (running header text), page (True for
a "- N -" page-number footer), font (NanumGothic or NanumMyeongjo) and size (body size, pt).

  d149  충청북도 충주시        plan chapter, pdf (비전체계 as boxes: VISION across, three goals,
                               two strategies under each goal, projects beneath; two-column
                               text; 추진체계 table with a merged group cell)
  d150  부산광역시 연제구      plan, pdf (two-column 개요; 비전 / 핵심가치 / 목표 bands over
                               four strategy columns with their 과제; 기구 | 구성 | 기능 table)
  d151  대구광역시             plan chapters, pdf (비전체계 with a label column and goal cells
                               spanning two strategy columns; 추진체계 drawn with arrow cells)
  d152  충청남도 예산군        plan summary leaflet, pdf (boxes stacked in one column with ▼;
                               two-column body)
  d153  경상남도               plan, pdf (목표 cells merged down over their strategies; 역할
                               분담 matrix with ● marks)
  d154  인천광역시 계양구      plan, pdf (비전 and 목표 as banner lines; strategies as a 2×2
                               grid of boxes; 추진체계 as three columns of boxes)
  d155  경기도 이천시          approval (a 개조식 report written only in a one-column table)
  d156  전라남도 강진군        plan (headings as styled paragraphs without numbers; prose;
                               footnotes)
  d157  서울특별시 강서구      plan summary (strategies and goals as Word lists: numbers and
                               bullets from w:numPr; nested bullets)
  d158  경상북도 칠곡군        press release (nested Word bullets; a footnote)
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

from docx import Document  # noqa: E402
from docx.enum.section import WD_SECTION  # noqa: E402
from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Cm, Pt  # noqa: E402

from make_docs import fill, fixed_bytes, write_all, write_pdfs  # noqa: E402
from make_documents import (_columns, _footnote_reference, _page_field,  # noqa: E402
                            _with_footnotes)

DOCS: dict[str, dict] = {}
PDFS: dict[str, dict] = {}

# =======================================================================================
# PDF sources

# d149 충청북도 충주시 — 에너지 (plan chapter, pdf)
PDFS["d149"] = dict(title="제2차 충주시 지역에너지계획 제3장·제5장", author="충주시 기후에너지과",
                    header="제2차 충주시 지역에너지계획", page=True, font="NanumGothic", size=9, blocks=[
    ("title", "제2차 충주시 지역에너지계획"),
    ("p", "(계획기간 2026~2030)"),
    ("p", "제3장 비전 및 추진전략 / 제5장 추진체계 및 재원 (발췌)"),
    ("h1", "제3장 비전 및 추진전략"),
    ("h2", "3.1 비전체계"),
    ("p", "충주는 충주댐과 충주호라는 큰 물 자원과 넓은 농지를 함께 가진 도시다. 제1차 계획이 주택과 "
          "공공시설의 태양광 보급에 집중했다면, 제2차 계획은 물과 햇빛을 함께 쓰는 지역 고유의 "
          "에너지원을 키우고 그 이익을 시민에게 돌려주는 데 초점을 둔다."),
    ("p", "<그림 3-1> 비전체계"),
    ("mtable", [
        ["VISION\n물과 햇빛이 키우는 에너지 자립도시, 충주", "", ""],
        ["목표 1\n재생에너지 발전 비중 25%", "목표 2\n에너지 소비 20% 절감", "목표 3\n시민과 나누는 에너지 이익"],
        ["1-1 수상·영농형 태양광 확대\n1-2 물에서 얻는 에너지 발굴",
         "2-1 건물 에너지 효율 향상\n2-2 무공해 수송 전환",
         "3-1 시민 참여 발전 확산\n3-2 에너지 복지 사각지대 해소"],
        ["· 충주호 수상태양광 2단계\n· 충주댐 수열에너지 융복합단지",
         "· 공공청사 제로에너지 리모델링\n· 전기 시내버스 전환",
         "· 충주 햇빛두레 발전소\n· 에너지 효율 집수리 ‘따순 집’"],
        ["3대 목표 · 6대 추진전략 · 24개 세부사업", "", ""],
    ], [(0, 0, 0, 2), (4, 0, 4, 2)], {"size": 9}),
    ("p", "※ 목표 연도는 2030년, 기준 연도는 2020년(에너지 소비)이다."),
    ("h2", "3.2 추진전략별 주요 내용"),
    ("columns",),
    ("p", "【1-1】 충주호와 농업용 저수지 수면에 수상태양광을, 벼와 콩을 기르는 농지 위에 영농형 "
          "태양광을 설치한다. 충주호 수상태양광 2단계(40MW)는 한국수자원공사와 함께 추진하고, "
          "영농형 태양광은 마을 단위 시범단지 5곳으로 시작한다."),
    ("p", "【1-2】 충주댐 심층수의 차가운 물로 데이터센터와 스마트팜의 냉난방을 해결하는 충주댐 "
          "수열에너지 융복합단지를 조성하고, 달천과 요도천에서 소수력 발전이 가능한 보를 찾는다."),
    ("p", "【2-1】 1990년대 이전에 지은 공공청사 12동을 제로에너지 수준으로 고치고, 민간 건물에는 "
          "에너지 진단과 고효율 설비 교체 비용을 지원한다."),
    ("colbreak",),
    ("p", "【2-2】 시내버스 162대를 2030년까지 모두 전기버스로 바꾸고, 읍·면 공영주차장에 급속 "
          "충전기를 설치한다."),
    ("p", "【3-1】 ‘충주 햇빛두레 발전소’ 10곳을 시민 출자로 공공 유휴부지에 짓고, 발전 수익의 "
          "일부를 출자 시민과 마을 기금으로 돌려준다."),
    ("p", "【3-2】 에너지바우처 수급 가구 가운데 단열이 약한 집을 골라 창호·보일러를 바꿔 주는 "
          "에너지 효율 집수리 ‘따순 집’을 해마다 300가구에 지원한다."),
    ("single",),
    ("break",),
    ("h1", "제5장 추진체계 및 재원"),
    ("h2", "5.1 추진체계"),
    ("p", "<표 5-1> 추진체계"),
    ("mtable", [
        ["구분", "기관", "역할"],
        ["심의·자문", "충주시 에너지위원회", "계획·연차 시행계획 심의, 이행 실적 평가(위원 15명, 연 2회)"],
        ["총괄", "기후에너지과", "계획 총괄, 부서별 과제 관리, 국비 공모 대응"],
        ["실행", "에너지전환 실무추진단", "부시장을 단장으로 9개 부서가 참여하는 한시 조직(2026~2027)"],
        ["현장 지원", "충주시 에너지전환지원센터", "시민 에너지 상담, 햇빛두레 발전소 설립 지원, 에너지 교육"],
        ["", "(사)충주햇빛나눔", "센터 수탁 운영(2025. 7. ~ 2028. 6.)"],
    ], [(4, 0, 5, 0)], {"widths": [2.2, 5.0, 8.8]}),
    ("p", "○ 업무협약 : 한국수자원공사 충주권지사(수상태양광·수열에너지), 건국대학교 글로컬캠퍼스(에너지 전문인력 양성)"),
    ("p", "○ 충청북도 에너지센터와 한국에너지공단 충북지역본부의 지원 사업을 연계하고, 청주·제천의 시민 발전 사례를 참고한다."),
    ("p", "○ 근거 : 「에너지법」 제7조, 「충주시 에너지 기본 조례」 제5조"),
    ("h2", "5.2 재원 계획"),
    ("p", "○ 5년간 총사업비 2,150억 원(국비 820억 원, 도비 160억 원, 시비 470억 원, 민자 700억 원)"),
    ("p", "<표 5-2> 연도별 투자 계획(단위 : 억 원)"),
    ("table", [
        ["연도", "2026", "2027", "2028", "2029", "2030"],
        ["사업비", "310", "420", "480", "500", "440"],
    ]),
    ("p", "○ 제1차 계획(2021~2025) 실적 : 주택 태양광 3,200가구 보급, 공공시설 태양광 14MW 설치"),
])

# d150 부산광역시 연제구 — 인권 (plan, pdf)
PDFS["d150"] = dict(title="제2차 연제구 인권보장 및 증진 기본계획", author="부산광역시 연제구 자치행정과",
                    header="제2차 연제구 인권보장 및 증진 기본계획", page=True, font="NanumMyeongjo",
                    blocks=[
    ("title", "제2차 연제구 인권보장 및 증진 기본계획"),
    ("p", "2025. 2.  부산광역시 연제구"),
    ("h1", "제1장 계획의 개요"),
    ("columns",),
    ("h2", "수립 근거"),
    ("p", "이 계획은 「부산광역시 연제구 인권 보장 및 증진에 관한 조례」 제6조에 따라 5년마다 세우는 "
          "법정 계획이다. 「국가인권위원회법」과 국가인권정책기본계획의 방향을 함께 반영하였다."),
    ("h2", "계획 기간과 범위"),
    ("p", "계획기간은 2025년부터 2029년까지 5년이다. 구청과 구 출연기관, 구 사무를 위탁받아 운영하는 "
          "시설까지를 범위로 한다."),
    ("colbreak",),
    ("h2", "수립 과정"),
    ("p", "구민 800명 인권의식 조사와 인권 취약계층 심층면접, 두 차례의 구민 토론회를 거쳤다. 기초 "
          "연구는 부경대학교 산학협력단이 수행하였다."),
    ("h2", "제1차 계획의 성과"),
    ("p", "제1차 계획(2020~2024) 기간에 구 조례와 정책 116건에 인권영향평가를 실시하였고, 구 공무원 "
          "인권교육 이수율은 98%에 이르렀다."),
    ("single",),
    ("break",),
    ("h1", "제2장 비전과 추진전략"),
    ("p", "<그림 2-1> 비전체계"),
    ("mtable", [
        ["비전 ─ 서로의 존엄을 지키는 인권 동네, 연제", "", "", ""],
        ["핵심가치 : 존엄 · 평등 · 참여 · 연대", "", "", ""],
        ["목표 : 구민 인권 체감도 75점 / 차별 경험률 10% 이하", "", "", ""],
        ["전략 Ⅰ\n인권 행정의 제도화", "전략 Ⅱ\n취약계층 인권 보호", "전략 Ⅲ\n일상 속 인권 문화",
         "전략 Ⅳ\n인권 거버넌스 강화"],
        ["Ⅰ-1 인권영향평가 전면 시행\nⅠ-2 인권 친화 민원 응대\nⅠ-3 공무원 인권교육 내실화",
         "Ⅱ-1 이주민 인권 상담 ‘연제 다가치 창구’\nⅡ-2 장애인 이동권 점검\nⅡ-3 돌봄 노동자 권리 안내",
         "Ⅲ-1 주민 인권학교\nⅢ-2 인권 그림책 순회 도서관\nⅢ-3 인권 감수성 캠페인 확대",
         "Ⅳ-1 인권위원회 기능 강화\nⅣ-2 주민 인권 제안 활성화\nⅣ-3 인권단체 협력 강화"],
        ["4대 전략 12개 정책과제", "", "", ""],
    ], [(0, 0, 0, 3), (1, 0, 1, 3), (2, 0, 2, 3), (5, 0, 5, 3)]),
    ("p", "비전은 구민 누구나 차별받지 않고 서로의 존엄을 지키는 생활 공동체를 뜻한다. 핵심가치는 "
          "계획 전체에 걸쳐 과제를 고르는 기준으로 삼는다."),
    ("h1", "제3장 추진체계"),
    ("columns",),
    ("p", "제1차 계획 기간에는 인권 업무를 감사담당관이 다른 업무와 함께 맡아 전담 인력이 없었다. "
          "구는 2025년 1월 자치행정과 안에 인권팀을 신설하여 계획 총괄과 인권영향평가, 인권교육을 "
          "전담하게 하였다."),
    ("p", "현장에서 주민을 만나는 일은 새로 문을 여는 연제 인권플러스센터가 맡는다. 센터는 주민 "
          "인권학교와 인권 상담, 인권 활동가 모임 지원을 담당한다."),
    ("colbreak",),
    ("p", "부산광역시 인권센터와 국가인권위원회 부산인권사무소에는 조사가 필요한 상담 사례를 "
          "넘기고, 해마다 구의회 행정문화위원회에 추진 실적을 보고한다."),
    ("p", "동래구, 수영구 등 인근 자치구의 인권위원회와는 연 1회 공동 토론회를 연다."),
    ("single",),
    ("p", "<표 3-1> 추진 기구"),
    ("table", [
        ["기구", "구성", "기능"],
        ["연제구 인권위원회", "위원 11명(민간위원 9명)", "기본계획·연도별 시행계획 심의, 인권 정책 자문"],
        ["인권팀(자치행정과)", "2025. 1. 신설, 3명", "계획 총괄, 인권영향평가, 인권교육"],
        ["연제 인권플러스센터", "(사)부산인권교육연구소 위탁", "주민 인권학교, 인권 상담, 활동가 모임 지원"],
    ]),
    ("p", "재원 : 5년간 총 38억 원(구비 32억 원, 시비 6억 원)"),
])

# d151 대구광역시 — 외국인주민 (plan chapters, pdf)
PDFS["d151"] = dict(title="대구광역시 외국인주민 지원 기본계획", author="대구광역시 국제협력과",
                    header="대구광역시 외국인주민 지원 기본계획 │ 제2장·제4장", page=True,
                    font="NanumGothic", blocks=[
    ("title", "대구광역시 외국인주민 지원 기본계획(2025~2029)"),
    ("p", "제2장 비전과 전략 · 제4장 추진체계(발췌)"),
    ("h1", "제2장 비전과 전략"),
    ("p", "대구의 외국인주민은 2024년 말 6만 1천 명으로 5년 전보다 28% 늘었다. 성서·달성 산업단지의 "
          "이주노동자, 대학 유학생, 결혼이민자가 고루 늘어난 것이 특징이다."),
    ("p", "<그림 2-1> 비전체계도"),
    ("mtable", [
        ["비전", "세계인이 머물고 싶은 열린 도시 대구", "", "", ""],
        ["목표", "이주민의 안정적 정착", "", "함께 사는 상호문화 공동체", ""],
        ["전략", "정착 초기 지원 강화", "일자리·교육 기회 확대", "상호문화 이해 증진", "참여와 소통 기반 구축"],
        ["대표과제", "원스톱 안내 창구\n‘웰컴 대구’", "유학생 취업 연계\n‘잡브릿지 대구’",
         "구·군 순회 상호문화 축제\n‘컬러풀 이웃’", "다국어 시정 소식지\n‘대구 브리지’"],
        ["", "2대 목표 · 4대 전략 · 16개 세부과제", "", "", ""],
    ], [(0, 1, 0, 4), (1, 1, 1, 2), (1, 3, 1, 4), (4, 1, 4, 4)],
     {"widths": [1.6, 3.6, 3.6, 3.6, 3.6], "size": 8}),
    ("columns",),
    ("p", "정착 초기 지원은 입국 후 첫 1년에 집중한다. 공항과 동대구역에서 시작하는 생활 안내, "
          "13개 언어 통역, 주거·의료 동행 서비스를 한 창구에서 제공한다."),
    ("p", "일자리·교육 기회 확대는 지역 대학 유학생이 졸업 후 대구 기업에 취업하도록 잇는 데 "
          "중점을 둔다. 2024년 유학생 인턴십 참여자 가운데 84명이 지역 기업에 채용되었다."),
    ("colbreak",),
    ("p", "상호문화 이해 증진은 선주민과 이주민이 함께하는 축제와 학교 교육으로 추진한다."),
    ("p", "참여와 소통 기반 구축은 외국인주민이 시정에 직접 의견을 내는 통로를 만드는 전략이다. "
          "다국어 소식지와 온라인 제안 창구를 함께 운영한다."),
    ("single",),
    ("break",),
    ("h1", "제4장 추진체계"),
    ("p", "<그림 4-1> 추진체계도"),
    ("table", [
        ["대구광역시 외국인주민 지원 협의회\n(심의·자문)", "◀ 보고 · 자문 ▶", "국제협력과\n(총괄·조정)"],
        ["", "", "▼"],
        ["대구외국인주민통합지원센터\n(상담·교육·통역)", "◀ 위탁 · 관리 ▶", "구·군 외국인 지원 부서\n(생활 민원)"],
    ], {"widths": [6.6, 3.2, 6.2]}),
    ("p", "○ 대구외국인주민통합지원센터는 2025년 4월부터 3년간 (사)대구다문화연대가 위탁 운영한다. "
          "센터 상담 실적은 2024년 1만 8,400건이다."),
    ("p", "○ 대구출입국·외국인사무소, 대구지방고용노동청과 체류·고용 정보 공유 업무협약 체결(2025. 5.)"),
    ("p", "○ 경상북도외국인지원센터, 법무부 사회통합프로그램 운영기관과는 교육 과정을 연계한다."),
    ("p", "○ 근거 : 「대구광역시 외국인주민 지원 조례」, 「재한외국인 처우 기본법」"),
    ("p", "○ 소요 예산 : 5년간 212억 원(시비 168억 원, 국비 44억 원)"),
])

# d152 충청남도 예산군 — 귀농귀촌 (plan summary leaflet, pdf)
PDFS["d152"] = dict(title="예산군 귀농귀촌 활성화 종합계획 요약", author="예산군 농업기술센터",
                    header="예산군 귀농귀촌 활성화 종합계획 요약본", page=True, font="NanumGothic",
                    blocks=[
    ("title", "예산군 귀농귀촌 활성화 종합계획"),
    ("p", "요약본 │ 계획기간 2025년~2029년 │ 예산군"),
    ("table", [
        ["비전\n사과꽃 피는 예산에서 시작하는 두 번째 인생"],
        ["▼"],
        ["목표\n귀농귀촌 인구 연 3,000명 유치 · 5년 정착률 90%"],
        ["▼"],
        ["4대 추진전략\n① 살아보고 결정하는 귀농귀촌\n② 배우고 준비하는 영농 창업\n"
         "③ 집과 농지가 있는 정착\n④ 마을과 어울리는 공동체"],
    ]),
    ("columns",),
    ("h2", "주요 사업"),
    ("p", "① 도시민이 한두 달 농가에 머물며 일손을 거드는 ‘예산에서 살아보기’를 해마다 60가구로 늘린다."),
    ("p", "② 사과·쪽파 재배 선배 농가가 1년 동안 예비 농업인을 가르치는 ‘사과 선배 멘토링’을 운영한다."),
    ("p", "③ 임시 거처 ‘귀농인의 집’ 20곳 확보"),
    ("p", "   청년 귀농인 임대형 스마트팜 지원"),
    ("p", "④ 귀농귀촌인과 원주민이 함께하는 마을 환영 행사와 재능 나눔을 지원한다."),
    ("colbreak",),
    ("h2", "추진체계"),
    ("p", "계획은 예산군 귀농귀촌 정책협의회가 심의하고, 농업기술센터 농촌지원과가 총괄한다. 상담과 "
          "교육은 예산군 귀농귀촌지원센터가 맡으며, 센터는 (사)예산군귀농귀촌협회가 위탁 운영한다."),
    ("p", "충청남도 귀농귀촌 종합지원센터와 한국농업기술진흥원의 교육은 군 교육과정과 연계하고, "
          "홍성·청양과는 귀농 박람회를 함께 연다."),
    ("single",),
    ("h2", "실적과 재원"),
    ("p", "2024년 귀농귀촌 인구 2,540명, 살아보기 참가 후 정착 41가구"),
    ("p", "5년간 총사업비 186억 원"),
    ("p", "근거 : 「예산군 귀농어·귀촌인 지원 조례」"),
])

# d153 경상남도 — 노동 (plan, pdf)
PDFS["d153"] = dict(title="경상남도 노동정책 기본계획", author="경상남도 노동정책과",
                    header="경상남도 노동정책 기본계획(2025~2028)", page=True, font="NanumMyeongjo",
                    blocks=[
    ("title", "경상남도 노동정책 기본계획"),
    ("p", "2025 ─ 2028"),
    ("p", "경상남도"),
    ("h1", "Ⅰ. 수립 개요"),
    ("columns",),
    ("p", "경남은 조선·기계·자동차 부품 제조업 비중이 높고, 하청 구조의 아래쪽에 놓인 소규모 "
          "사업장 노동자가 많다. 최근에는 배달·대리운전 같은 플랫폼 노동과 이주노동자, 고령 "
          "노동자가 빠르게 늘고 있다."),
    ("p", "도는 「경상남도 노동자 권리 보호 및 증진을 위한 조례」 제5조에 따라 처음으로 노동정책 "
          "기본계획을 세웠다. 기초 연구는 경남연구원이 맡았다."),
    ("colbreak",),
    ("p", "수립 과정에서 노동계·경영계·전문가 면담 40회와 도민 토론회를 열었다. 창원시와 김해시의 "
          "노동자종합지원센터 운영 사례, 다른 시·도의 노동정책 기본계획도 비교하였다."),
    ("p", "계획기간 : 2025년 ~ 2028년(4년)"),
    ("single",),
    ("h1", "Ⅱ. 비전체계"),
    ("mtable", [
        ["비전 : 일하는 모든 도민이 존중받는 경남", "", ""],
        ["목표", "추진전략", "중점과제(예시)"],
        ["노동 존중 일터 조성", "1. 노동권 보호 기반 강화", "노동권익 상담 창구 확대, 도 공공부문 생활임금"],
        ["", "2. 안전한 일터 만들기", "소규모 사업장 ‘경남 안전일터 지킴이’"],
        ["취약 노동자 사각지대 해소", "3. 플랫폼·프리랜서 노동자 지원", "이동노동자 쉼터 ‘경남 쉼표’ 8곳"],
        ["", "4. 이주·고령 노동자 보호", "이주노동자 노동상담 확대"],
        ["", "5. 노사민정 협력 확대", "조선업 상생협약 이행 점검"],
        ["2대 목표 5대 추진전략 20개 중점과제", "", ""],
    ], [(0, 0, 0, 2), (2, 0, 3, 0), (4, 0, 6, 0), (7, 0, 7, 2)],
     {"widths": [4.2, 5.6, 6.2], "size": 9}),
    ("break",),
    ("h1", "Ⅲ. 추진체계"),
    ("p", "<표 3-1> 기구별 역할 분담(● 주관, ○ 참여)"),
    ("table", [
        ["기구", "계획 수립", "실행", "점검·평가"],
        ["경상남도 노동정책위원회", "●", "", "●"],
        ["노동정책과", "●", "●", "○"],
        ["경상남도 노동권익센터", "○", "●", ""],
        ["경상남도 노사민정협의회", "○", "○", "●"],
    ], {"widths": [6.4, 3.2, 3.2, 3.2]}),
    ("p", "경상남도 노동권익센터는 2025년 7월 창원 성산구에 문을 열며, (사)경남노동인권연구소가 "
          "3년간 위탁 운영한다. 센터는 노동 상담, 미조직 노동자 교육, 시·군 노동 상담소 지원을 맡는다."),
    ("p", "고용노동부 부산지방고용노동청 창원지청과는 임금체불 사건 연계를 협의하고 있다."),
    ("h1", "Ⅳ. 재원과 실적"),
    ("p", "4년간 총 312억 원(도비 241억 원, 국비 71억 원)을 투입한다."),
    ("p", "2024년 도 노동 상담 실적은 6,200건이며, 이동노동자 쉼터 3곳을 운영하였다."),
])

# d154 인천광역시 계양구 — 도시농업 (plan, pdf)
PDFS["d154"] = dict(title="계양구 도시농업 육성계획", author="인천광역시 계양구 공원녹지과",
                    header="계양구 도시농업 육성계획 2025-2029", page=True, font="NanumGothic",
                    blocks=[
    ("title", "계양구 도시농업 육성계획(2025~2029)"),
    ("p", "인천광역시 계양구  2025. 1."),
    ("h1", "1. 계획의 목적과 근거"),
    ("columns",),
    ("p", "계양구는 계양산과 굴포천, 서부 농경지를 끼고 있어 도심 가까이 텃밭을 만들 땅이 많다. 구는 "
          "공영 텃밭을 늘려 왔지만 신청자가 분양 구획의 세 배에 이를 만큼 수요가 크다."),
    ("p", "구는 5년마다 도시농업 육성계획을 세우며, 이번이 두 번째 계획이다. 국가 도시농업 "
          "종합계획의 방향도 따른다."),
    ("colbreak",),
    ("p", "2024년 현재 공영 텃밭은 11곳 1,420구획이며, 도시농부학교 수료생은 누적 860명이다."),
    ("p", "인천광역시 도시농업지원센터와 부천시의 옥상농원 사례를 참고하였다."),
    ("single",),
    ("p", "근거 : 「인천광역시 계양구 도시농업 육성 및 지원 조례」 제4조, 「도시농업의 육성 및 지원에 관한 법률」"),
    ("h1", "2. 비전과 목표"),
    ("p", "비전  텃밭에서 이웃을 만나는 초록 계양"),
    ("p", "목표  도시농업 참여 구민 5만 명 · 공영 텃밭 면적 두 배"),
    ("h1", "3. 추진전략"),
    ("p", "<그림 3-1> 4대 추진전략과 주요 사업"),
    ("table", [
        ["전략 1 텃밭 공간 확충\n· 계양산 자락 공영 도시농장\n· 공동주택 옥상 텃밭",
         "전략 2 배우고 나누는 도시농부\n· 계양 도시농부학교\n· 수확물 나눔 ‘초록 냉장고’"],
        ["전략 3 치유와 돌봄의 농업\n· 어르신 치유농장\n· 발달장애인 원예 일자리",
         "전략 4 도시농업 공동체 활성화\n· 텃밭 공동체 공모사업\n· 도시농업 축제 ‘계양 팜 페스타’"],
    ]),
    ("break",),
    ("h1", "4. 추진체계"),
    ("table", [
        ["행정", "민관 협의", "현장 지원"],
        ["공원녹지과 도시농업팀\n계획 총괄, 텃밭 조성", "계양구 도시농업위원회\n계획·공모사업 심의",
         "계양구 도시농업지원센터\n교육·텃밭 공동체 지원\n(위탁 : (사)계양텃밭공동체)"],
    ]),
    ("h1", "5. 재원"),
    ("p", "5년간 총 64억 원(구비 49억 원, 시비 15억 원)"),
])

# =======================================================================================
# DOCX documents

# d155 경기도 이천시 — 여성친화 (approval: a 개조식 report written in a one-column table)
DOCS["d155"] = dict(title="이천시 여성친화도시 2단계 조성계획 보고", author="이천시 여성가족과", blocks=[
    ("table", [
        ["이천시 여성친화도시 2단계 조성계획(2026~2030) 보고"],
        ["보고일 2025. 10. 20.  │  보고부서 여성가족과  │  협조 기획예산과, 도시계획과, 안전총괄과"],
        ["Ⅰ 추진 배경\n"
         "○ 2020. 12. 여성가족부 여성친화도시로 지정되어 1단계(2021~2025) 조성사업 추진\n"
         "○ 2025. 9. 여성친화도시 재지정 심사 통과에 따라 2단계 계획 수립 필요\n"
         "  - 1단계 성과 : 여성친화 안심 귀갓길 9곳 조성, 경력단절 여성 재취업 312명"],
        ["Ⅱ 비전 및 목표\n"
         "○ 비전 : 일상이 평등하고 안전한 도시, 함께 이천\n"
         "○ 목표\n"
         "  - 성평등 정책 기반 공고화\n"
         "  - 여성의 경제·사회 참여 확대\n"
         "  - 돌봄과 안전 걱정 없는 생활환경"],
        ["Ⅲ 5대 정책과제\n"
         "○ 성평등 행정 기반 강화 : 성인지 예산·성별영향평가 내실화\n"
         "○ 여성 경제활동 확대 : 재취업 과정 ‘경력잇는 이천’, 여성 창업 공유공방\n"
         "○ 돌봄 공동체 조성 : 아파트 단지 공동육아방 ‘이천 아이품’ 10곳\n"
         "○ 안전한 생활공간 조성 : 안심 귀갓길 확대, 공중화장실 비상벨 점검\n"
         "○ 시민 참여 확산 : 여성친화 정책 시민 제안 공모\n"
         "  ※ 5대 정책과제 아래 세부사업 34개"],
        ["Ⅳ 추진체계\n"
         "○ 이천시 양성평등위원회 : 계획 심의(위원 15명)\n"
         "○ 이천시 여성친화도시 조성협의체 : 시민·전문가·부서장 20명, 분기 1회 사업 점검\n"
         "○ 여성가족과 : 계획 총괄, 부서별 사업 조정\n"
         "○ 이천시 성평등활동지원센터 : 시민 제안 발굴, 성평등 교육, 시민 활동 지원\n"
         "  - 2026. 3. 개소 예정, (사)이천여성나눔터 위탁 운영"],
        ["Ⅴ 소요 예산 및 향후 일정\n"
         "○ 5년간 총 126억 원(시비 97억 원, 도비 18억 원, 국비 11억 원)\n"
         "○ 2025. 11. 양성평등위원회 심의 → 12. 계획 확정·공표\n"
         "○ 근거 : 「양성평등기본법」 제39조, 「이천시 양성평등 기본 조례」\n"
         "※ 경기도여성가족재단 컨설팅, 여주·광주시 여성친화도시 협의회 사례 참고"],
        ["붙임  2단계 조성계획(안) 1부.  끝."],
    ]),
])

# d156 전라남도 강진군 — 고령친화 (plan; styled headings without numbers, footnotes)
DOCS["d156"] = dict(title="강진군 고령친화도시 조성 계획", author="강진군 주민복지과", blocks=[
    ("title", "강진군 고령친화도시 조성 계획 2026–2029"),
    ("p", "강진군 · 2025년 12월"),
    ("hs", "계획의 배경"),
    ("p", "강진군의 65세 이상 인구 비율은 2024년 말 36.8%로 전남 평균을 웃돈다. 홀로 사는 어르신이 "
          "늘고, 면 지역에서는 병원과 장보기를 위해 읍내까지 나오기 어렵다는 목소리가 크다."),
    ("note", "행정안전부 주민등록인구통계, 2024년 12월 기준."),
    ("p", "군은 2023년 「강진군 고령친화도시 조성 조례」를 제정하였고, 2025년 세계보건기구(WHO) "
          "고령친화도시 국제 네트워크에 가입하였다. 이 계획은 가입 뒤 처음 세우는 실행계획이다."),
    ("note", "WHO 국제 네트워크의 8대 영역(외부 환경, 교통, 주거, 사회 참여 등)을 기준으로 진단하였다."),
    ("hs", "비전과 목표"),
    ("p", "이 계획의 비전은 ‘나이 들어도 내 마을에서 당당하게, 청자골 강진’이다."),
    ("p", "목표는 ‘걸어서 10분 돌봄 생활권 완성’, ‘노인 일자리 참여율 20% 달성’, ‘사회적 고립 "
          "어르신 제로’ 세 가지다."),
    ("hs", "추진 전략"),
    ("p", "군은 이동과 주거, 돌봄과 건강, 일과 배움, 존중과 참여라는 네 갈래의 추진전략을 세우고, "
          "그 아래 22개 실천사업을 배치하였다."),
    ("hs2", "이동과 주거"),
    ("p", "면 지역을 도는 수요응답형 버스 ‘강진 부르미’를 9개 면 전체로 넓히고, 낡은 집의 문턱과 "
          "화장실을 고치는 ‘어르신 안심 집수리’를 해마다 150가구에 지원한다."),
    ("hs2", "돌봄과 건강"),
    ("p", "경로당을 거점으로 의사와 간호사가 찾아가는 ‘마을 주치의’ 순회 진료를 하고, 혼자 사는 "
          "어르신에게는 안부 확인 기기를 보급한다."),
    ("note", "순회 진료는 전라남도 공공의료 사업의 인력 지원을 받는다."),
    ("hs2", "일과 배움"),
    ("p", "청자 빚기 기술을 가진 어르신이 체험객을 가르치는 ‘청자 공방 선생님’ 일자리와, 읍내 "
          "평생학습 공간의 ‘강진 시니어 배움학교’를 운영한다."),
    ("hs2", "존중과 참여"),
    ("p", "세대가 함께하는 ‘마을 세대공감 잔치’를 열고, 어르신이 군 정책을 직접 점검하는 자리를 만든다."),
    ("hs", "추진 체계"),
    ("p", "계획은 강진군 고령친화도시 추진위원회가 심의하고, 주민복지과가 총괄한다. 현장에서는 "
          "강진군 고령친화지원센터가 마을 돌봄 활동가를 기르고 경로당 프로그램을 조율한다. 센터는 "
          "사회복지법인 강진사랑나눔이 위탁 운영한다."),
    ("p", "기초 조사와 계획 수립 연구는 목포대학교 산학협력단이 맡았다. 광주광역시 고령친화 "
          "정책과 해남군의 마을 돌봄 사례도 살폈다."),
    ("note", "「노인복지법」과 「저출산·고령사회기본법」의 관련 조항을 따른다."),
    ("hs", "재원"),
    ("p", "4년간 총 284억 원이 들어가며, 이 가운데 군비는 118억 원이다."),
])

# d157 서울특별시 강서구 — 디지털포용 (plan summary; Word lists from w:numPr, nested bullets)
DOCS["d157"] = dict(title="강서구 디지털 포용 종합계획 요약", author="서울특별시 강서구 스마트정보과",
                    blocks=[
    ("title", "강서구 디지털 포용 종합계획(2025~2027) 요약"),
    ("p", "서울특별시 강서구 스마트정보과"),
    ("h1", "비전과 목표"),
    ("p", "비전 : 모두가 연결되는 따뜻한 디지털 강서"),
    ("p", "목표"),
    ("list", "bullet", [
        (0, "디지털 격차 없는 생활 서비스"),
        (0, "누구나 배우는 디지털 역량"),
        (0, "사람 중심의 디지털 안전"),
    ]),
    ("h1", "추진전략 (4대 추진전략 15개 세부사업)"),
    ("list", "decimal", [
        (0, "생활 밀착 디지털 배움터 확충"),
        (1, "동 주민센터 ‘디지털 배움 사랑방’ 20곳"),
        (2, "2025년 12곳, 2026년 20곳"),
        (1, "어르신 방문 교육 ‘스마트폰 주치의’"),
        (0, "디지털 접근성 보장"),
        (1, "구청·보건소 ‘배리어프리 키오스크’ 교체"),
        (1, "쉬운 말 구 누리집"),
        (0, "디지털 안전망 구축"),
        (1, "디지털 금융사기 예방 ‘안심 지킴이’"),
        (1, "고립 위험 가구 AI 안부 전화"),
        (0, "민관 협력 디지털 포용 생태계"),
        (1, "강서구 디지털동행센터 운영"),
        (2, "2025. 4. 개소, (사)강서IT나눔 위탁"),
        (1, "통신사·복지관 중고 스마트폰 나눔"),
    ]),
    ("h1", "추진체계"),
    ("list", "bullet", [
        (0, "강서구 디지털포용 협의체 : 복지관·도서관·통신사 등 18개 기관, 반기 1회"),
        (0, "스마트정보과 : 계획 총괄, 부서별 사업 점검"),
        (0, "강서구 디지털동행센터 : 교육·상담·기기 지원 중간지원 거점"),
        (1, "서울디지털재단의 ‘어디나 지원단’과 강사 인력을 함께 쓴다"),
    ]),
    ("h1", "재원과 실적"),
    ("list", "bullet", [
        (0, "3년간 42억 원(구비 30억 원, 시비 12억 원)"),
        (0, "2024년 디지털 교육 수료 8,300명"),
        (0, "근거 : 「서울특별시 강서구 디지털 포용 증진 조례」"),
    ]),
])

# d158 경상북도 칠곡군 — 평생학습 (press release; nested Word bullets, a footnote)
DOCS["d158"] = dict(title="칠곡군 제5차 평생학습 발전계획 확정 보도자료", author="칠곡군 교육정책과",
                    blocks=[
    ("p", "칠곡군 보도자료"),
    ("p", "배포 2025. 9. 3.(수) │ 담당 교육정책과 평생학습팀 (☎ 054-979-0000)"),
    ("h1", "칠곡군, 제5차 평생학습 발전계획 확정…‘할매 시인’의 배움, 마을 전체로"),
    ("list", "bullet", [
        (0, "칠곡군은 ‘배움이 일상이 되는 인문도시 칠곡’을 비전으로 한 제5차 칠곡군 평생학습 "
            "발전계획(2026~2030)을 확정했다고 3일 밝혔다."),
        (1, "계획은 3대 전략과 18개 사업으로 짰다."),
        (2, "(전략 1) 생애 단계별 배움 : 어르신 한글 문해교실 ‘늘배움 교실’, 청소년 인문 동아리"),
        (2, "(전략 2) 마을이 학교가 되는 평생학습 : 마을배움터 40곳 운영"),
        (2, "(전략 3) 배움이 일자리와 나눔으로 : 주민 강사를 연결하는 ‘평생학습 강사은행’"),
        (0, "칠곡군은 문해교실을 마친 어르신들이 쓴 시집과 손글씨 글꼴로 알려졌다."),
    ]),
    ("note", "문해교육은 글을 읽고 쓰는 기초 능력을 기르는 교육을 말한다."),
    ("list", "bullet", [
        (1, "지난해 문해교실을 수료한 어르신은 410명이다."),
        (1, "군은 지난해 국가평생교육진흥원의 평생학습도시 재지정 평가에서 우수 등급을 받았다."),
        (0, "계획 추진은 칠곡군 평생교육협의회가 심의하고, 마을배움터 운영은 올해 문을 연 "
            "칠곡군 마을배움지원센터가 지원한다."),
        (1, "센터 운영은 (재)칠곡군교육문화재단이 맡는다."),
        (1, "대구가톨릭대학교와는 주민 강사 양성 과정을 함께 운영하는 업무협약도 맺었다."),
        (1, "경상북도평생교육진흥원이 여는 도 평생학습 박람회에는 해마다 마을배움터 작품을 낸다."),
        (0, "5년간 사업비는 모두 96억 원이다."),
    ]),
    ("p", "※ 붙임 : 제5차 평생학습 발전계획 요약 1부."),
])


# =======================================================================================
# Builder

SIZES = {"Normal": 10, "Title": 16, "Heading 1": 12, "Heading 2": 11}

# (numFmt, lvlText) for the levels of each list kind
LIST_KINDS = {
    "decimal": [("decimal", "%1."), ("bullet", "–"), ("bullet", "·")],
    "bullet": [("bullet", "○"), ("bullet", "-"), ("bullet", "·")],
    "ganada": [("ganada", "%1."), ("bullet", "-"), ("bullet", "·")],
}


def _fonts(document, font: str, body: int) -> None:
    sizes = dict(SIZES, Normal=body)
    for name, size in sizes.items():
        document.styles[name].font.size = Pt(size)
    for style in document.styles:
        if not hasattr(style, "font") or style.font is None:
            continue
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), font)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)


def _custom_styles(document) -> None:
    for name, size in (("장제목", 14), ("절제목", 12)):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.font.bold = True
        style.font.size = Pt(size)
        style.paragraph_format.space_before = Pt(12 if size == 14 else 6)
        style.paragraph_format.space_after = Pt(4)


def _abstract_num(numbering, abstract_id: int, kind: str) -> None:
    absn = OxmlElement("w:abstractNum")
    absn.set(qn("w:abstractNumId"), str(abstract_id))
    mlt = OxmlElement("w:multiLevelType")
    mlt.set(qn("w:val"), "multilevel")
    absn.append(mlt)
    for level, (fmt, text) in enumerate(LIST_KINDS[kind]):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(level))
        for tag, val in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text),
                         ("w:lvlJc", "left")):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            lvl.append(el)
        ppr = OxmlElement("w:pPr")
        ind = OxmlElement("w:ind")
        ind.set(qn("w:left"), str(400 + 400 * level))
        ind.set(qn("w:hanging"), "300")
        ppr.append(ind)
        lvl.append(ppr)
        absn.append(lvl)
    first_num = numbering.find(qn("w:num"))
    if first_num is None:
        numbering.append(absn)
    else:
        first_num.addprevious(absn)


def _new_list(document, state: dict, kind: str) -> int:
    numbering = document.part.numbering_part.element
    if kind not in state["abstract"]:
        abstract_id = 90 + len(state["abstract"])
        _abstract_num(numbering, abstract_id, kind)
        state["abstract"][kind] = abstract_id
    state["num"] += 1
    num_id = state["num"]
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(num_id))
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), str(state["abstract"][kind]))
    num.append(ref)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    num.append(override)
    numbering.append(num)
    return num_id


def _list_paragraph(document, text: str, level: int, num_id: int):
    p = document.add_paragraph(text, style="List Paragraph")
    ppr = p._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    nid = OxmlElement("w:numId")
    nid.set(qn("w:val"), str(num_id))
    numpr.append(ilvl)
    numpr.append(nid)
    ppr.insert(0, numpr)
    return p


def build(doc_id: str, spec: dict) -> bytes:
    document = Document()
    _fonts(document, spec.get("font", "NanumGothic"), spec.get("size", 10))
    _custom_styles(document)
    section = document.sections[0]
    if spec.get("header"):
        section.header.paragraphs[0].text = spec["header"]
    if spec.get("page"):
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(footer)
    notes: list[str] = []
    state = {"abstract": {}, "num": 100}
    last = None
    for block in spec["blocks"]:
        kind = block[0]
        if kind == "title":
            last = document.add_paragraph(block[1], style="Title")
            last.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind in ("h1", "h2"):
            last = document.add_heading(block[1], level=1 if kind == "h1" else 2)
        elif kind in ("hs", "hs2"):
            last = document.add_paragraph(block[1], style="장제목" if kind == "hs" else "절제목")
        elif kind == "p":
            last = document.add_paragraph(block[1])
        elif kind == "toc":
            for line in block[1]:
                last = document.add_paragraph(line)
        elif kind == "break":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "colbreak":
            document.add_paragraph().add_run().add_break(WD_BREAK.COLUMN)
        elif kind in ("columns", "single"):
            new = document.add_section(WD_SECTION.CONTINUOUS)
            _columns(new, 2 if kind == "columns" else 1)
        elif kind == "note":
            if last is None:
                raise ValueError(f"{doc_id}: a note needs a paragraph before it")
            notes.append(block[1])
            _footnote_reference(last, len(notes))
        elif kind == "list":
            num_id = _new_list(document, state, block[1])
            for level, text in block[2]:
                last = _list_paragraph(document, text, level, num_id)
        elif kind in ("table", "mtable"):
            rows = block[1]
            merges = block[2] if kind == "mtable" else []
            opts = block[-1] if isinstance(block[-1], dict) else {}
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            table.style = "Table Grid"
            if "widths" in opts:
                table.autofit = False
                for i, width in enumerate(opts["widths"]):
                    table.columns[i].width = Cm(width)
                    for cell in table.columns[i].cells:
                        cell.width = Cm(width)
            covered = set()
            for r1, c1, r2, c2 in merges:
                merged = table.cell(r1, c1).merge(table.cell(r2, c2))
                fill(merged, rows[r1][c1])
                covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    if (r, c) not in covered:
                        fill(table.cell(r, c), text)
            if "size" in opts:
                for row in table.rows:
                    for cell in row.cells:
                        for paragraph in cell.paragraphs:
                            for run in paragraph.runs:
                                run.font.size = Pt(opts["size"])
            last = None
        else:
            raise ValueError(f"{doc_id}: unknown block {kind}")
    return fixed_bytes(document, spec, lambda data: _with_footnotes(data, notes))


def main() -> None:
    write_all(DOCS, build)
    if "--pdf" in sys.argv[1:]:
        only = [a for a in sys.argv[1:] if a.startswith("d")]
        write_pdfs(PDFS, build, only or None)


if __name__ == "__main__":
    main()
