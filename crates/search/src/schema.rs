//! The index's fields and tokenizers. Changing either changes `SCHEMA_VERSION`, and an
//! index of another version is rebuilt at start.

use crate::grams::CharGrams;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{LowerCaser, TextAnalyzer};
use tantivy::Index;

pub const SCHEMA_VERSION: u32 = 1;

pub const JIEBA: &str = "hk_jieba";
pub const UNI: &str = "hk_uni";
pub const BI: &str = "hk_bi";

#[derive(Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub case_no: Field,
    pub body: Field,
    pub words: Field,
    pub uni: Field,
    pub bi: Field,
    pub names_uni: Field,
    pub names_bi: Field,
    pub scope: Field,
    pub state: Field,
    pub category: Field,
    pub region: Field,
    pub channel: Field,
    pub case_type: Field,
    pub region_code: Field,
    pub received: Field,
    pub registered_at: Field,
}

fn indexed(tokenizer: &str, positions: bool) -> TextOptions {
    let option = if positions {
        IndexRecordOption::WithFreqsAndPositions
    } else {
        IndexRecordOption::WithFreqs
    };
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(option),
    )
}

pub fn build() -> Schema {
    let mut b = Schema::builder();
    b.add_i64_field("id", INDEXED | STORED | FAST);
    b.add_text_field("case_no", STORED);
    b.add_text_field("body", STORED);
    b.add_text_field("words", indexed(JIEBA, false));
    b.add_text_field("uni", indexed(UNI, true));
    b.add_text_field("bi", indexed(BI, true));
    b.add_text_field("names_uni", indexed(UNI, true));
    b.add_text_field("names_bi", indexed(BI, true));
    for f in [
        "scope",
        "state",
        "category",
        "region",
        "channel",
        "case_type",
    ] {
        b.add_text_field(f, STRING);
    }
    b.add_text_field("region_code", STRING | STORED);
    b.add_i64_field("received", INDEXED | FAST);
    b.add_i64_field("registered_at", STORED | FAST);
    b.build()
}

pub fn fields(schema: &Schema) -> tantivy::Result<Fields> {
    let f = |name: &str| schema.get_field(name);
    Ok(Fields {
        id: f("id")?,
        case_no: f("case_no")?,
        body: f("body")?,
        words: f("words")?,
        uni: f("uni")?,
        bi: f("bi")?,
        names_uni: f("names_uni")?,
        names_bi: f("names_bi")?,
        scope: f("scope")?,
        state: f("state")?,
        category: f("category")?,
        region: f("region")?,
        channel: f("channel")?,
        case_type: f("case_type")?,
        region_code: f("region_code")?,
        received: f("received")?,
        registered_at: f("registered_at")?,
    })
}

pub fn jieba() -> TextAnalyzer {
    TextAnalyzer::builder(tantivy_jieba::JiebaTokenizer::new())
        .filter(LowerCaser)
        .build()
}

pub fn register_tokenizers(index: &Index) {
    let t = index.tokenizers();
    t.register(JIEBA, jieba());
    t.register(UNI, TextAnalyzer::from(CharGrams { n: 1 }));
    t.register(BI, TextAnalyzer::from(CharGrams { n: 2 }));
}
