//! OpenAPI schemas for the rules that live elsewhere (the domain's codes, the password
//! and username rules) and for the two registration bodies, `POST /api/v1/cases` and
//! `POST /api/v1/public/petitions`, in JSON and as multipart. They are built from the
//! same constants the validators use, so the document cannot drift from the checks.

use crate::auth::password::{MIN_PASSWORD_CHARS, PASSWORD_PATTERN};
use domain::codes::{
    CASE_NO_PATTERN, QUERY_CODE_PATTERN, REGION_CODE_PATTERN, REGION_PREFIX_PATTERN,
    UNIT_CODE_PATTERN,
};
use domain::registration::{
    MAX_CONTENT_CHARS, MAX_DEMANDS_CHARS, MAX_HEADCOUNT, MAX_NAME_CHARS, MAX_PETITIONERS,
    MAX_REPRESENTATIVES, MAX_SHORT_CHARS,
};
use domain::{CaseType, Channel};
use std::borrow::Cow;
use utoipa::openapi::schema::{
    AllOfBuilder, ArrayBuilder, Object, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat,
    SchemaType, Type,
};
use utoipa::openapi::{KnownFormat, RefOr};
use utoipa::{PartialSchema, ToSchema};

/// The username rule of [`domain::Username::parse`]: 2–40 of letters, digits, `.`, `_` and `-`
/// (stored in lower case).
pub const USERNAME_PATTERN: &str = "^[A-Za-z0-9._-]{2,40}$";

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

fn nullable_string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(SchemaType::from_iter([Type::String, Type::Null]))
}

fn text(max: usize, what: &str) -> ObjectBuilder {
    string().max_length(Some(max)).description(Some(what))
}

fn patterned(pattern: &str, what: &str) -> Object {
    string()
        .pattern(Some(pattern))
        .description(Some(what))
        .build()
}

pub fn username() -> Object {
    patterned(
        USERNAME_PATTERN,
        "2–40 letters, digits, `.`, `_` or `-`; stored in lower case",
    )
}

pub fn password() -> Object {
    string()
        .min_length(Some(MIN_PASSWORD_CHARS))
        .pattern(Some(PASSWORD_PATTERN))
        .description(Some(
            "At least 10 characters of at least two kinds (lower case, upper case, digits, others)",
        ))
        .build()
}

pub fn unit_code() -> Object {
    patterned(
        UNIT_CODE_PATTERN,
        "A unit code: 2–32 letters, digits and dashes, e.g. `330106`",
    )
}

pub fn region_code() -> Object {
    patterned(
        REGION_CODE_PATTERN,
        "Where it happened: a region code of 6, 9 or 12 digits (GB/T 2260), e.g. `330106`",
    )
}

pub fn region_prefix() -> Object {
    patterned(
        REGION_PREFIX_PATTERN,
        "A region-code prefix: up to 12 digits, e.g. `3301` for one city",
    )
}

pub fn case_no() -> Object {
    patterned(
        CASE_NO_PATTERN,
        "A case number, `{unit code}-{year}-{sequence}`, e.g. `ROOT-2026-000001`",
    )
}

pub fn ref_no() -> Object {
    patterned(
        crate::portal::reception::REF_NO_PATTERN,
        "An appointment reference from the answer to the request, e.g. `YF2026000012`",
    )
}

pub fn query_code() -> Object {
    patterned(
        QUERY_CODE_PATTERN,
        "The query code (查询码) from the receipt: 8 characters of 2–9 and A–Z without I and O \
         (lower case, spaces and dashes are accepted too)",
    )
}

pub fn role() -> Object {
    one_of_strs(domain::Role::ALL.iter().map(|r| r.as_str()), "A role")
}

pub fn unit_level() -> Object {
    one_of_strs(
        domain::UnitLevel::ALL.iter().map(|l| l.as_str()),
        "A unit's level",
    )
}

pub fn rating() -> Object {
    one_of_strs(
        domain::lifecycle::Rating::ALL.iter().map(|r| r.as_str()),
        "How satisfied the petitioner is with the handling",
    )
}

/// A region code, or `null` to leave it as it is.
pub fn region_code_or_null() -> Object {
    nullable_string()
        .pattern(Some(REGION_CODE_PATTERN))
        .description(Some("A region code of 6, 9 or 12 digits"))
        .build()
}

pub fn action() -> Object {
    one_of_strs(
        domain::lifecycle::Action::ALL.iter().map(|a| a.as_str()),
        "A lifecycle action; one the case's stage does not allow answers 409",
    )
}

pub fn unit_name() -> Object {
    string()
        .min_length(Some(1))
        .max_length(Some(100))
        .description(Some("The unit's name"))
        .build()
}

fn one_of_strs<'a>(values: impl IntoIterator<Item = &'a str>, what: &str) -> Object {
    string()
        .enum_values(Some(values.into_iter().collect::<Vec<_>>()))
        .description(Some(what))
        .build()
}

fn files(what: &str, max: usize) -> RefOr<Schema> {
    ArrayBuilder::new()
        .items(
            string()
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
                .content_media_type("application/octet-stream"),
        )
        .max_items(Some(max))
        .description(Some(what))
        .into()
}

/// A registration as `POST /api/v1/cases` takes it (see `domain::NewCase`).
pub struct NewCaseDoc;

impl PartialSchema for NewCaseDoc {
    fn schema() -> RefOr<Schema> {
        let petitioner = ObjectBuilder::new()
            .property(
                "name",
                text(MAX_NAME_CHARS, "Full name").min_length(Some(1)),
            )
            .required("name")
            .property(
                "phone",
                nullable_string().description(Some("A mobile or landline number")),
            )
            .property(
                "id_number",
                nullable_string().description(Some("A resident identity card number")),
            )
            .property(
                "address",
                nullable_string()
                    .max_length(Some(MAX_SHORT_CHARS))
                    .description(Some("Postal address")),
            );
        let representative = OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(0))
                    .description(Some("A position in `petitioners`")),
            )
            .item(string().description(Some("A petitioner's name")));
        ObjectBuilder::new()
            .description(Some(
                "A registration. Every problem is reported at once in `fields` (422); nothing is stored then.",
            ))
            .property(
                "channel",
                one_of_strs(Channel::ALL.iter().map(|c| c.as_str()), "How it reached the office"),
            )
            .required("channel")
            .property(
                "type",
                one_of_strs(
                    CaseType::ALL.iter().map(|c| c.as_str()),
                    "suggestion, accusation or claim",
                ),
            )
            .required("type")
            .property(
                "category",
                string().min_length(Some(1)).description(Some(
                    "A category code from `GET /api/v1/categories`, e.g. `labor.wages`",
                )),
            )
            .required("category")
            .property("region", region_code())
            .required("region")
            .property(
                "unit",
                nullable_string()
                    .pattern(Some(UNIT_CODE_PATTERN))
                    .description(Some("The registering unit's code; yours by default")),
            )
            .property(
                "petitioners",
                ArrayBuilder::new()
                    .items(petitioner)
                    .max_items(Some(MAX_PETITIONERS))
                    .description(Some("Who brings it; empty only when `anonymous`")),
            )
            .property(
                "headcount",
                ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::Integer, Type::Null]))
                    .minimum(Some(1))
                    .maximum(Some(MAX_HEADCOUNT))
                    .description(Some(
                        "How many people came (a group visit from 5); at least the petitioners named",
                    )),
            )
            .property(
                "representatives",
                ArrayBuilder::new()
                    .items(representative)
                    .max_items(Some(MAX_REPRESENTATIVES))
                    .description(Some("A group's elected representatives (at most 5)")),
            )
            .property(
                "anonymous",
                ObjectBuilder::new()
                    .schema_type(Type::Boolean)
                    .description(Some("Suggestions and accusations only; then no petitioners")),
            )
            .property(
                "respondent",
                nullable_string()
                    .max_length(Some(MAX_SHORT_CHARS))
                    .description(Some("The unit or person complained about")),
            )
            .property(
                "content",
                text(MAX_CONTENT_CHARS, "What happened").min_length(Some(1)),
            )
            .required("content")
            .property(
                "demands",
                nullable_string()
                    .max_length(Some(MAX_DEMANDS_CHARS))
                    .description(Some("What is asked for; required for a claim")),
            )
            .property(
                "received_on",
                nullable_string()
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
                    .description(Some(
                        "The day it was received, if before today (within a year)",
                    )),
            )
            .into()
    }
}

impl ToSchema for NewCaseDoc {
    fn name() -> Cow<'static, str> {
        "NewCase".into()
    }
}

/// `POST /api/v1/cases` as `multipart/form-data`.
pub struct CaseForm;

impl PartialSchema for CaseForm {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .property(
                "case",
                AllOfBuilder::new()
                    .item(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                        NewCaseDoc::name(),
                    )))
                    .description(Some("The registration, as a JSON part")),
            )
            .required("case")
            .property(
                "attachments",
                files(
                    "Files: PDF, JPEG, PNG, DOC(X), XLS(X), TXT; 20 MB each, checked by content",
                    10,
                ),
            )
            .into()
    }
}

impl ToSchema for CaseForm {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((NewCaseDoc::name().into(), NewCaseDoc::schema()));
    }
}

/// `POST /api/v1/cases/{id}/attachments`: files only.
pub struct AttachmentsForm;

impl PartialSchema for AttachmentsForm {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .property(
                "attachments",
                files(
                    "Files: PDF, JPEG, PNG, DOC(X), XLS(X), TXT; 20 MB each, checked by content",
                    10,
                ),
            )
            .required("attachments")
            .into()
    }
}

impl ToSchema for AttachmentsForm {}

/// A petition as `POST /api/v1/public/petitions` takes it (see `portal::submit`).
pub struct PetitionDoc;

impl PartialSchema for PetitionDoc {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .description(Some(
                "A petition from the public. A claim needs a `name`; suggestions and accusations may be `anonymous`, and then no contact details are kept.",
            ))
            .property(
                "type",
                one_of_strs(
                    CaseType::ALL.iter().map(|c| c.as_str()),
                    "suggestion, accusation or claim",
                ),
            )
            .required("type")
            .property(
                "category",
                string().min_length(Some(1)).description(Some(
                    "A category code, e.g. `labor.wages` (the portal lists them)",
                )),
            )
            .required("category")
            .property("region", region_code())
            .required("region")
            .property(
                "respondent",
                text(MAX_SHORT_CHARS, "The unit or person complained about"),
            )
            .property(
                "content",
                text(MAX_CONTENT_CHARS, "What happened").min_length(Some(1)),
            )
            .required("content")
            .property(
                "demands",
                text(MAX_DEMANDS_CHARS, "What is asked for; required for a claim"),
            )
            .property(
                "anonymous",
                ObjectBuilder::new().schema_type(Type::Boolean).description(Some(
                    "Suggestions and accusations only; contact details are then dropped",
                )),
            )
            .property("name", text(MAX_NAME_CHARS, "Your name; required for a claim"))
            .property("phone", string().description(Some("A phone number to reach you")))
            .property("address", text(MAX_SHORT_CHARS, "Your postal address"))
            .property(
                "website",
                string().max_length(Some(0)).description(Some(
                    "A honeypot for robots: leave it out or empty (filled, the answer is 400)",
                )),
            )
            .into()
    }
}

impl ToSchema for PetitionDoc {
    fn name() -> Cow<'static, str> {
        "PublicPetition".into()
    }
}

/// `POST /api/v1/public/petitions` as `multipart/form-data`.
pub struct PetitionForm;

impl PartialSchema for PetitionForm {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .property(
                "petition",
                AllOfBuilder::new()
                    .item(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                        PetitionDoc::name(),
                    )))
                    .description(Some("The petition, as a JSON part")),
            )
            .required("petition")
            .property(
                "attachments",
                files(
                    "Up to 5 files, 20 MB together: PDF, images, Word, Excel, text; checked by content",
                    crate::portal::MAX_FILES,
                ),
            )
            .into()
    }
}

impl ToSchema for PetitionForm {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((PetitionDoc::name().into(), PetitionDoc::schema()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(schema: RefOr<Schema>) -> Vec<String> {
        let v = serde_json::to_value(schema).expect("schema json");
        let mut k: Vec<String> = v["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .cloned()
            .collect();
        k.sort();
        k
    }

    fn serde_keys(v: serde_json::Value) -> Vec<String> {
        let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
        k.sort();
        k
    }

    #[test]
    fn the_registration_schema_names_every_field_the_server_reads() {
        let fields = serde_keys(serde_json::to_value(domain::NewCase::default()).expect("json"));
        assert_eq!(keys(NewCaseDoc::schema()), fields);
    }

    #[test]
    fn the_petition_schema_names_every_field_the_server_reads() {
        let fields = serde_keys(
            serde_json::to_value(crate::portal::submit::PublicPetition::default()).expect("json"),
        );
        assert_eq!(keys(PetitionDoc::schema()), fields);
    }
}
