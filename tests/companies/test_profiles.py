import pytest
from sqlmodel import Session

from app.companies import profiles
from app.companies.profiles import CompanyData
from app.errors import InvalidInput
from tests.factories import vat_number


def data(**changes: object) -> CompanyData:
    values: dict[str, object] = {
        "name": "  Lambda   S.r.l. ",
        "vat_number": vat_number(6001),
        "contact_email": "A@Lambda.IT",
    }
    values.update(changes)
    return CompanyData(**values)  # type: ignore[arg-type]


def errors(db_session: Session, **changes: object) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        profiles.validate(data(**changes), db_session=db_session)
    return caught.value.errors


@pytest.mark.parametrize("spelling", ["IT{}", "it {}", " {} ", "IT-{}"])
def test_vat_number_is_normalised_from_its_usual_spellings(db_session: Session, spelling: str) -> None:
    clean = profiles.validate(data(vat_number=spelling.format(vat_number(6001))), db_session=db_session)
    assert clean.vat_number == vat_number(6001)
    assert clean.name == "Lambda S.r.l." and clean.contact_email == "a@lambda.it"


def test_vat_number_check_digit_and_length_are_checked(db_session: Session) -> None:
    good = vat_number(6001)
    wrong_digit = good[:-1] + str((int(good[-1]) + 1) % 10)
    assert "cifra di controllo" in errors(db_session, vat_number=wrong_digit)["vat_number"]
    assert "11 cifre" in errors(db_session, vat_number="123")["vat_number"]
    assert "vat_number" in errors(db_session, vat_number="")


def test_fiscal_code_accepts_a_personal_code_or_the_companys_digits(db_session: Session) -> None:
    assert (
        profiles.validate(data(fiscal_code="rssmra85t10a562s"), db_session=db_session).fiscal_code
        == "RSSMRA85T10A562S"
    )
    assert profiles.validate(
        data(fiscal_code=vat_number(6002)), db_session=db_session
    ).fiscal_code == vat_number(6002)
    assert "fiscal_code" in errors(db_session, fiscal_code="RSSMRA85T10A562X")


@pytest.mark.parametrize("code", ["28", "28.4", "28.41", "28.41.0", "28.41.00"])
def test_ateco_codes_of_every_depth_are_accepted(db_session: Session, code: str) -> None:
    assert profiles.validate(data(ateco_code=code), db_session=db_session).ateco_code == code


def test_every_bad_field_is_named_at_once(db_session: Session) -> None:
    found = errors(
        db_session,
        name="",
        ateco_code="28-41",
        province="RM",
        size_class="huge",
        sectors=["aerospace", "banking"],
        website="not a site",
        export_share="-3",
        markets=["US", "ZZ"],
        contact_phone="call me",
        contact_email="nope",
    )
    assert set(found) == {
        "name",
        "ateco_code",
        "province",
        "size_class",
        "sectors",
        "website",
        "export_share",
        "markets",
        "contact_phone",
        "contact_email",
    }


def test_one_company_per_vat_number(db_session: Session) -> None:
    clean = profiles.validate(
        data(province="mi", sectors=["Aerospace"], export_share="40%"), db_session=db_session
    )
    company, created = profiles.find_or_create(clean, db_session=db_session)
    again, created_again = profiles.find_or_create(clean, db_session=db_session)
    assert created and not created_again and again.id == company.id
    assert company.province_code == "MI" and company.export_share == 40
    assert profiles.sectors_of(company, db_session=db_session) == ["aerospace"]
    other, _ = profiles.find_or_create(
        profiles.validate(data(vat_number=vat_number(6003)), db_session=db_session), db_session=db_session
    )
    with pytest.raises(InvalidInput):
        profiles.update_profile(other, data(), db_session=db_session)


def test_the_loser_of_a_simultaneous_creation_gets_the_winners_company(
    db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A double click: both requests look the VAT number up before either has inserted it."""
    clean = profiles.validate(data(), db_session=db_session)
    winner, _created = profiles.find_or_create(clean, db_session=db_session)
    winner_user = profiles.ensure_company_user(winner, db_session=db_session)
    looked_up = profiles.get_by_vat
    first_lookup = iter([True])
    monkeypatch.setattr(
        profiles,
        "get_by_vat",
        lambda vat, *, db_session: (
            None if next(first_lookup, False) else looked_up(vat, db_session=db_session)
        ),
    )
    loser, created = profiles.find_or_create(clean, db_session=db_session)
    assert not created and loser.id == winner.id

    email_lookup = profiles.accounts_service.get_by_email
    first_email_lookup = iter([True, True])  # ours, then the accounts service's own
    monkeypatch.setattr(
        profiles.accounts_service,
        "get_by_email",
        lambda email, *, db_session: (
            None if next(first_email_lookup, False) else email_lookup(email, db_session=db_session)
        ),
    )
    user = profiles.ensure_company_user(loser, db_session=db_session)
    assert winner_user is not None and user is not None and user.id == winner_user.id
