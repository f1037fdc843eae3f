# ruff: noqa: RUF001 -- Urdu text ends its sentences with the Urdu full stop
"""Demo fact sheets and claim checks, built on the demo's verified incidents. Written by the
demo documenter and published by the demo verifier (a second person), through the services,
so they are audited like any other. Ratings are decided from the data as loaded, so a claim
check never contradicts the figures beside it.
"""

from __future__ import annotations

import datetime as dt

from madad.accounts.roles import Role
from madad.core.demo import DemoContext
from madad.public import services
from madad.public.models import ClaimCheck, FactSheet
from madad.public.selectors import PublicFilters, public_incidents
from madad.public.selectors.figures import count_incidents

KILLINGS_EN = """Between 2008 and 2014 Madad verified {{count:incidents type=targeted-killing}} \
targeted killings. {{count:victims act=killed type=targeted-killing}} people were killed in \
them and {{count:victims act=injured type=targeted-killing}} injured.

## Year by year
- 2010: {{count:incidents type=targeted-killing year=2010}} targeted killings
- 2011: {{count:incidents type=targeted-killing year=2011}} targeted killings
- 2012: {{count:incidents type=targeted-killing year=2012}} targeted killings
- 2013: {{count:incidents type=targeted-killing year=2013}} targeted killings

Women were among the victims: {{count:victims sex=female type=targeted-killing}}. \
Children under 18: {{count:victims age=0-17 type=targeted-killing}}.

Every figure counts verified incidents only and links to them."""

KILLINGS_UR = """سن 2008 سے 2014 کے دوران مدد نے {{count:incidents type=targeted-killing}} ٹارگٹ \
کلنگ کے واقعات کی تصدیق کی۔ ان میں {{count:victims act=killed type=targeted-killing}} افراد \
جاں بحق اور {{count:victims act=injured type=targeted-killing}} زخمی ہوئے۔

## سال بہ سال
- 2010: {{count:incidents type=targeted-killing year=2010}} واقعات
- 2011: {{count:incidents type=targeted-killing year=2011}} واقعات
- 2012: {{count:incidents type=targeted-killing year=2012}} واقعات
- 2013: {{count:incidents type=targeted-killing year=2013}} واقعات

متاثرین میں خواتین: {{count:victims sex=female type=targeted-killing}}۔ اٹھارہ سال سے کم عمر \
بچے: {{count:victims age=0-17 type=targeted-killing}}۔

ہر عدد صرف تصدیق شدہ واقعات کو گنتا ہے اور ان سے منسلک ہے۔"""

EXTORTION_EN = """Demands for money (bhatta) reach shopkeepers, traders and transporters by \
phone, by letter and in person. Madad verified {{count:incidents type=extortion-demand}} \
extortion demands; {{count:victims act=extorted}} people were made to pay or pressed to.

Threats often follow a refusal: {{count:incidents type=threat-or-intimidation}} verified \
incidents of threats or intimidation are recorded."""

EXTORTION_UR = """بھتے کے مطالبات دکانداروں، تاجروں اور ٹرانسپورٹرز تک فون، خط اور براہ راست \
پہنچتے ہیں۔ مدد نے بھتے کے {{count:incidents type=extortion-demand}} مطالبات کی تصدیق کی؛ \
{{count:victims act=extorted}} افراد سے رقم لی گئی یا اس کے لیے دباؤ ڈالا گیا۔

انکار کے بعد اکثر دھمکیاں ملتی ہیں: دھمکی یا ڈرانے کے {{count:incidents \
type=threat-or-intimidation}} تصدیق شدہ واقعات درج ہیں۔"""


def _incident_ids(type_code: str, limit: int = 6) -> list[int]:
    page = public_incidents(filters=PublicFilters(types=(type_code,))).page(1, limit)
    return [i.id for i in page.object_list]


def load(context: DemoContext) -> None:
    if FactSheet.objects.filter(organisation=context.relief).exists():
        return
    if not public_incidents().count():
        context.report.append("no fact sheets (no verified incidents yet)")
        return
    writer = context.users[Role.DOCUMENTER]
    approver = context.users[Role.VERIFIER]
    sheets = []
    for title_en, title_ur, summary_en, summary_ur, body_en, body_ur, code in [
        (
            "Targeted killings, 2008 to 2014",
            "ٹارگٹ کلنگ، 2008 سے 2014",
            "How many people were shot in targeted attacks, year by year (demo).",
            "ٹارگٹ حملوں میں کتنے لوگ نشانہ بنے، سال بہ سال (ڈیمو)۔",
            KILLINGS_EN,
            KILLINGS_UR,
            "targeted-killing",
        ),
        (
            "Extortion demands on traders",
            "تاجروں سے بھتے کے مطالبات",
            "Verified demands for money and the threats that follow (demo).",
            "بھتے کے تصدیق شدہ مطالبات اور ان کے بعد کی دھمکیاں (ڈیمو)۔",
            EXTORTION_EN,
            EXTORTION_UR,
            "extortion-demand",
        ),
    ]:
        sheet = services.factsheet_write(
            by=writer,
            organisation=context.relief,
            incident_ids=_incident_ids(code),
            values={
                "title_en": title_en,
                "title_ur": title_ur,
                "summary_en": summary_en,
                "summary_ur": summary_ur,
                "body_en": body_en,
                "body_ur": body_ur,
            },
        )
        services.factsheet_submit(factsheet=sheet, by=writer)
        sheets.append(services.factsheet_approve(factsheet=sheet, approver=approver))
    checks = [_kidnapping_claim(context, sheets), _killings_claim(context, sheets)]
    context.report.append(f"{len(sheets)} fact sheets and {len(checks)} claim checks published")


def _publish(
    context: DemoContext,
    *,
    values: dict[str, object],
    incident_ids: list[int],
    factsheet_ids: list[int],
) -> ClaimCheck:
    writer = context.users[Role.DOCUMENTER]
    check = services.claimcheck_write(
        by=writer,
        organisation=context.relief,
        values=values,
        incident_ids=incident_ids,
        factsheet_ids=factsheet_ids,
    )
    services.claimcheck_submit(claimcheck=check, by=writer)
    return services.claimcheck_publish(claimcheck=check, approver=context.users[Role.VERIFIER])


def _kidnapping_claim(context: DemoContext, sheets: list[FactSheet]) -> ClaimCheck:
    n = count_incidents(
        public_incidents(filters=PublicFilters(types=("kidnapping-for-ransom",), year=2013))
    )
    rating = "false" if n else "unproven"
    return _publish(
        context,
        values={
            "claim_en": "Nobody was kidnapped for ransom in the city in 2013.",
            "claim_ur": "2013 میں شہر میں تاوان کے لیے کوئی اغوا نہیں ہوا۔",
            "claimant": "Posts shared on social media (demo)",
            "claim_date": dt.date(2014, 2, 10),
            "rating": rating,
            "explanation_en": "Madad verified {{count:incidents type=kidnapping-for-ransom "
            "year=2013}} kidnappings for ransom in 2013. The incidents are "
            "listed below."
            if n
            else "Madad has not verified any kidnapping for ransom in 2013, but its "
            "records are not complete enough to say that none happened.",
            "explanation_ur": "مدد نے 2013 میں تاوان کے لیے اغوا کے {{count:incidents "
            "type=kidnapping-for-ransom year=2013}} واقعات کی تصدیق کی۔ واقعات "
            "نیچے درج ہیں۔"
            if n
            else "مدد نے 2013 میں تاوان کے لیے اغوا کے کسی واقعے کی تصدیق نہیں کی، "
            "لیکن یہ کہنا ممکن نہیں کہ کوئی واقعہ نہیں ہوا۔",
        },
        incident_ids=_incident_ids("kidnapping-for-ransom", 4),
        factsheet_ids=[],
    )


def _killings_claim(context: DemoContext, sheets: list[FactSheet]) -> ClaimCheck:
    selector = public_incidents(filters=PublicFilters(types=("targeted-killing",)))
    by_year = {
        year: count_incidents(
            public_incidents(filters=PublicFilters(types=("targeted-killing",), year=year))
        )
        for year in (2010, 2012)
    }
    doubled = by_year[2010] and by_year[2012] >= 2 * by_year[2010]
    rating = "true" if doubled else ("false" if selector.count() else "unproven")
    return _publish(
        context,
        values={
            "claim_en": "Targeted killings doubled between 2010 and 2012.",
            "claim_ur": "2010 اور 2012 کے درمیان ٹارگٹ کلنگ دگنی ہو گئی۔",
            "claimant": "A widely shared message (demo)",
            "claim_date": dt.date(2013, 1, 15),
            "rating": rating,
            "explanation_en": "Verified targeted killings: {{count:incidents type=targeted-killing "
            "year=2010}} in 2010 and {{count:incidents type=targeted-killing "
            "year=2012}} in 2012. The fact sheet on targeted killings has the "
            "other years.",
            "explanation_ur": "تصدیق شدہ ٹارگٹ کلنگ: 2010 میں {{count:incidents "
            "type=targeted-killing year=2010}} اور 2012 میں {{count:incidents "
            "type=targeted-killing year=2012}}۔ باقی برسوں کے اعداد ٹارگٹ کلنگ "
            "کی فیکٹ شیٹ میں ہیں۔",
        },
        incident_ids=_incident_ids("targeted-killing", 4),
        factsheet_ids=[sheets[0].pk],
    )
