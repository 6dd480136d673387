//! The index on real Chinese text: substrings of one to four characters are found exactly
//! as a scan of the text finds them; names only for those who may read them; phrases,
//! exclusions, case numbers, scope; the cursor survives a restart; a damaged index is
//! noticed; related petitions rank the same matter first.

use hearken_search::{
    CaseDoc, Filters, Opened, SearchError, SearchIndex, SearchRequest, SimilarRequest, Sort, Status,
};
use std::collections::BTreeSet;

const PLACES: &[&str] = &[
    "西湖区文三路",
    "拱墅区大关街道",
    "余杭区良渚镇",
    "滨江区长河街道",
    "萧山区城厢街道",
    "上城区清波街道",
    "临平区东湖街道",
];
const MATTERS: &[&str] = &[
    "小区物业公司收费不合理，电梯坏了半年没人修",
    "工地夜间施工噪音扰民，凌晨两点还在打桩",
    "建筑公司拖欠农民工工资三个月，老板联系不上",
    "村集体土地征收补偿款至今没有发放到户",
    "医院收费项目不透明，住院清单看不明白",
    "学校食堂卫生状况差，孩子吃了拉肚子",
    "道路破损多年无人维修，雨天积水严重",
    "养老保险关系转移接续办了两个月还没办好",
    "低保资格认定不公平，邻居有车也在吃低保",
    "违章建筑占用消防通道，多次反映没人管",
    "餐馆油烟直排，楼上住户窗户都不敢开",
    "公交线路调整后老人看病要转两趟车",
];
const DEMANDS: &[&str] = &[
    "请求尽快处理",
    "希望有关部门督促整改",
    "要求依法查处并答复",
    "请给个说法",
];

fn corpus(n: usize) -> Vec<CaseDoc> {
    (0..n)
        .map(|i| {
            let mut content = format!(
                "{}{}，{}。",
                PLACES[i % PLACES.len()],
                MATTERS[i % MATTERS.len()],
                MATTERS[(i / 7 + 3) % MATTERS.len()]
            );
            if i % 97 == 0 {
                content.push_str("另外三里屯路口的红绿灯也坏了。");
            }
            CaseDoc {
                id: i as i64 + 1,
                case_no: format!("{}-2026-{:06}", if i % 2 == 0 { "XH" } else { "GS" }, i + 1),
                unit_path: if i % 2 == 0 { "/1/2/" } else { "/1/3/" }.into(),
                state: if i % 3 == 0 { "closed" } else { "registered" }.into(),
                channel: "visit".into(),
                case_type: "claim".into(),
                category: "labor.wages".into(),
                region: if i % 2 == 0 { "330106" } else { "330105" }.into(),
                received_on: format!("2026-03-{:02}", i % 28 + 1),
                registered_at: 1_770_000_000 + i as i64,
                respondent: String::new(),
                content,
                demands: DEMANDS[i % DEMANDS.len()].into(),
                notes: if i % 50 == 0 {
                    vec!["经核实，已责成施工单位停工整改".into()]
                } else {
                    vec![]
                },
                names: vec![if i == 5 { "欧阳娜娜" } else { "张伟" }.into()],
            }
        })
        .collect()
}

fn ready_index(docs: &[CaseDoc]) -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().expect("tempdir");
    let ix = SearchIndex::open_or_create(&dir.path().join("search")).expect("open");
    ix.apply(docs).expect("apply");
    ix.commit("0-1").expect("commit");
    ix.set_ready();
    (dir, ix)
}

fn all_ids(ix: &SearchIndex, q: &str, filters: Filters) -> BTreeSet<i64> {
    let mut ids = BTreeSet::new();
    let mut cursor = None;
    loop {
        let page = ix
            .search(&SearchRequest {
                q: q.into(),
                filters: filters.clone(),
                sort: Sort::Relevance,
                limit: 100,
                cursor,
            })
            .expect("search");
        ids.extend(page.items.iter().map(|h| h.id));
        match page.next {
            Some(n) => cursor = Some(n),
            None => return ids,
        }
    }
}

fn scan(docs: &[CaseDoc], needle: &str) -> BTreeSet<i64> {
    docs.iter()
        .filter(|d| format!("{}\n{}\n{}", d.case_no, d.content, d.demands).contains(needle))
        .map(|d| d.id)
        .collect()
}

#[test]
fn substrings_of_one_to_four_characters_match_a_scan() {
    let docs = corpus(1000);
    let (_dir, ix) = ready_index(&docs);
    let three = scan(&docs, "三里屯");
    assert_eq!(
        three.len(),
        11,
        "the place name is in 11 of the 1,000 petitions"
    );
    assert_eq!(all_ids(&ix, "三里屯", Filters::default()), three);
    for q in [
        "屯",
        "欧",
        "噪音",
        "工资",
        "拖欠农民",
        "补偿款",
        "良渚",
        "梯",
        "看病",
        "二",
    ] {
        assert_eq!(
            all_ids(&ix, q, Filters::default()),
            scan(&docs, q),
            "query {q}"
        );
    }
    // The highlighted snippet shows the match, escaped.
    let page = ix
        .search(&SearchRequest {
            q: "三里屯".into(),
            limit: 5,
            ..SearchRequest::default()
        })
        .expect("search");
    assert!(page.items[0].snippet.contains("<mark>三里屯</mark>"));
}

#[test]
fn names_only_for_roles_that_read_personal_data() {
    let docs = corpus(200);
    let (_dir, ix) = ready_index(&docs);
    let with = Filters {
        include_names: true,
        ..Filters::default()
    };
    assert_eq!(all_ids(&ix, "欧阳", with.clone()), BTreeSet::from([6]));
    assert!(all_ids(&ix, "欧阳", Filters::default()).is_empty());
    // A name is never shown in a snippet.
    let page = ix
        .search(&SearchRequest {
            q: "欧阳".into(),
            filters: with,
            limit: 5,
            ..SearchRequest::default()
        })
        .expect("search");
    assert!(!page.items[0].snippet.contains("欧阳"));
}

#[test]
fn phrases_exclusions_case_numbers_scope_and_filters() {
    let docs = corpus(1000);
    let (_dir, ix) = ready_index(&docs);
    let both: BTreeSet<i64> = scan(&docs, "噪音扰民")
        .intersection(&scan(&docs, "西湖区"))
        .copied()
        .collect();
    assert_eq!(
        all_ids(&ix, "\"噪音扰民\" 西湖区", Filters::default()),
        both
    );
    let without: BTreeSet<i64> = scan(&docs, "噪音扰民")
        .difference(&scan(&docs, "西湖区"))
        .copied()
        .collect();
    assert_eq!(
        all_ids(&ix, "噪音扰民 -西湖区", Filters::default()),
        without
    );

    assert_eq!(
        all_ids(&ix, "xh-2026-000123", Filters::default()),
        BTreeSet::from([123])
    );
    assert_eq!(
        all_ids(&ix, "GS-2026-000124", Filters::default()),
        BTreeSet::from([124])
    );
    assert_eq!(
        all_ids(&ix, "000124", Filters::default()),
        BTreeSet::from([124])
    );
    assert_eq!(all_ids(&ix, "2026-00012", Filters::default()).len(), 10);

    let scoped = Filters {
        scope: Some("/1/2/".into()),
        ..Filters::default()
    };
    let ids = all_ids(&ix, "三里屯", scoped);
    assert!(
        !ids.is_empty() && ids.iter().all(|id| id % 2 == 1),
        "{ids:?}"
    );
    let filtered = Filters {
        state: Some("registered".into()),
        region: Some("3301".into()),
        category: Some("labor".into()),
        from: Some("2026-03-01".into()),
        to: Some("2026-03-03".into()),
        ..Filters::default()
    };
    let expected: BTreeSet<i64> = docs
        .iter()
        .filter(|d| d.content.contains("工资") && d.state == "registered")
        .filter(|d| d.received_on.as_str() <= "2026-03-03")
        .map(|d| d.id)
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(all_ids(&ix, "工资", filtered), expected);

    let by_date = ix
        .search(&SearchRequest {
            q: "三里屯".into(),
            sort: Sort::Date,
            limit: 3,
            ..SearchRequest::default()
        })
        .expect("search");
    let ids: Vec<i64> = by_date.items.iter().map(|h| h.id).collect();
    assert_eq!(ids, vec![971, 874, 777], "newest registration first");
    assert!(by_date.next.is_some());
}

#[test]
fn the_cursor_survives_a_restart_and_damage_is_noticed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("search");
    let ix = SearchIndex::open_or_create(&path).expect("open");
    assert_eq!(ix.opened(), &Opened::Missing);
    assert_eq!(ix.status(), Status::Building { percent: 0 });
    assert!(matches!(
        ix.search(&SearchRequest {
            q: "工资".into(),
            ..SearchRequest::default()
        }),
        Err(SearchError::Building { .. })
    ));
    ix.apply(&corpus(30)).expect("apply");
    ix.commit("0-42").expect("commit");
    drop(ix);

    let ix = SearchIndex::open_or_create(&path).expect("reopen");
    assert_eq!(ix.opened(), &Opened::Resumed);
    assert_eq!(ix.cursor().as_deref(), Some("0-42"));
    assert_eq!(ix.num_docs(), 30);
    drop(ix);

    // A segment file lost: the index is found unreadable and made anew, empty.
    let segment = std::fs::read_dir(&path)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "idx"))
        .expect("a segment file");
    std::fs::remove_file(segment).expect("remove");
    let ix = SearchIndex::open_or_create(&path).expect("reopen");
    assert!(
        matches!(ix.opened(), Opened::Corrupt(_)),
        "{:?}",
        ix.opened()
    );
    assert_eq!(ix.cursor(), None);
    assert_eq!(ix.num_docs(), 0);
    drop(ix);

    std::fs::write(path.join("meta.json"), "{not json").expect("write");
    let ix = SearchIndex::open_or_create(&path).expect("reopen");
    assert!(matches!(ix.opened(), Opened::Corrupt(_)));
}

#[test]
fn the_same_matter_ranks_first_among_related_petitions() {
    let mut docs = corpus(1000);
    let same = CaseDoc {
        id: 5001,
        case_no: "XH-2026-005001".into(),
        unit_path: "/1/2/".into(),
        region: "330106".into(),
        respondent: "阳光小区物业公司".into(),
        content: "我是西湖区文三路阳光小区的业主，小区物业公司擅自提高物业费，从每平方米1.5元涨到2.8元，没有召开业主大会，也没有公示。".into(),
        demands: "请求有关部门查处，恢复原收费标准".into(),
        ..CaseDoc::default()
    };
    let negative = CaseDoc {
        id: 5002,
        case_no: "XH-2026-005002".into(),
        unit_path: "/1/2/".into(),
        region: "330106".into(),
        respondent: "阳光小区物业公司".into(),
        content: "西湖区文三路阳光小区物业公司不及时清运垃圾，楼道里堆满杂物，夏天臭气熏天，业主多次投诉没有用。".into(),
        demands: "请督促物业公司清理垃圾".into(),
        ..CaseDoc::default()
    };
    docs.push(same);
    docs.push(negative);
    let (_dir, ix) = ready_index(&docs);
    let found = ix
        .similar(&SimilarRequest {
            content: "阳光小区物业费一下子从1.5元一平方涨到了2.8元，物业没经过业主大会同意就涨价，希望主管部门管一管，把物业费降回去。".into(),
            region: Some("330106".into()),
            respondent: Some("阳光物业".into()),
            scope: Some("/1/".into()),
            limit: 5,
            ..SimilarRequest::default()
        })
        .expect("similar");
    assert_eq!(found[0].id, 5001, "{found:?}");
    assert!(found.iter().all(|s| s.score <= found[0].score));
    // Out of scope, it is not suggested.
    let found = ix
        .similar(&SimilarRequest {
            content: "阳光小区物业费从1.5元涨到2.8元，没开业主大会".into(),
            scope: Some("/1/3/".into()),
            limit: 5,
            ..SimilarRequest::default()
        })
        .expect("similar");
    assert!(found.iter().all(|s| s.id != 5001));
}

#[test]
fn search10b_numbers_written_in_chinese_match_digits() {
    let mut docs = corpus(300);
    let lift = |id: i64, content: &str| CaseDoc {
        id,
        case_no: format!("XH-2026-{id:06}"),
        unit_path: "/1/2/".into(),
        region: "330105".into(),
        content: content.into(),
        ..CaseDoc::default()
    };
    // The same estate's lifts: building 7, written in Chinese, and building 3, in digits.
    docs.push(lift(6001, "锦绣花园七号楼电梯停运五个月，物业不修。"));
    docs.push(lift(6002, "锦绣花园3幢电梯停运5个月，物业一直不修。"));
    let (_dir, ix) = ready_index(&docs);
    let found = ix
        .similar(&SimilarRequest {
            content: "锦绣花园7幢的电梯坏了5个多月，物业不修".into(),
            region: Some("330105".into()),
            limit: 5,
            ..SimilarRequest::default()
        })
        .expect("similar");
    assert_eq!(found.first().map(|s| s.id), Some(6001), "{found:?}");
    assert!(found.iter().any(|s| s.id == 6002), "{found:?}");
}

#[test]
fn search10b_a_new_office_finds_its_first_repeat_petition() {
    // An index of one case: every pair it holds is in every case.
    let first = CaseDoc {
        id: 1,
        case_no: "XH-2026-000001".into(),
        unit_path: "/1/".into(),
        region: "330106".into(),
        respondent: "幸福里小区物业".into(),
        content: "幸福里小区3幢电梯长期故障停运，老人上下楼困难，物业多次报修无人维修。".into(),
        ..CaseDoc::default()
    };
    let (_dir, ix) = ready_index(&[first]);
    let found = ix
        .similar(&SimilarRequest {
            content: "幸福里小区3幢电梯故障停运已两个月，报修后一直无人维修。".into(),
            scope: Some("/1/".into()),
            limit: 5,
            ..SimilarRequest::default()
        })
        .expect("similar");
    assert_eq!(found.first().map(|s| s.id), Some(1), "{found:?}");
}

#[test]
fn recall10c_the_same_matter_in_other_words_is_found_by_its_concepts() {
    let mut docs = corpus(300);
    let case = |id: i64, content: &str| CaseDoc {
        id,
        case_no: format!("XH-2026-{id:06}"),
        unit_path: "/1/2/".into(),
        region: "330203".into(),
        content: content.into(),
        ..CaseDoc::default()
    };
    // The same shop's closure told with other words (no character in common but the
    // shop's name), and another matter of the same shop.
    docs.push(case(7001, "鸿福游泳馆倒闭了，预付款要不回来。"));
    docs.push(case(7002, "鸿福游泳馆的池水浑浊，消毒不到位。"));
    let (_dir, ix) = ready_index(&docs);
    let found = ix
        .similar(&SimilarRequest {
            content: "鸿福游泳馆关门停业，会员卡退费无门。".into(),
            region: Some("330203".into()),
            limit: 5,
            ..SimilarRequest::default()
        })
        .expect("similar");
    assert_eq!(found.first().map(|s| s.id), Some(7001), "{found:?}");
}

#[test]
fn recall10c_of_two_equal_petitions_the_one_received_nearer_ranks_first() {
    let mut docs = corpus(300);
    let case = |id: i64, received_on: &str| CaseDoc {
        id,
        case_no: format!("XH-{id:06}"),
        unit_path: "/1/2/".into(),
        region: "330105".into(),
        received_on: received_on.into(),
        content: "锦绣花园3幢电梯停运五个月，物业一直不修。".into(),
        ..CaseDoc::default()
    };
    // The older one has the higher id, which would otherwise break the tie.
    docs.push(case(8001, "2026-05-20"));
    docs.push(case(8002, "2023-02-01"));
    let (_dir, ix) = ready_index(&docs);
    let ask = |received_on: &str| {
        ix.similar(&SimilarRequest {
            content: "锦绣花园3幢电梯坏了五个月，物业不修".into(),
            region: Some("330105".into()),
            received_on: Some(received_on.into()),
            limit: 5,
            ..SimilarRequest::default()
        })
        .expect("similar")
    };
    let found = ask("2026-06-01");
    assert_eq!(found.first().map(|s| s.id), Some(8001), "{found:?}");
    assert!(found.iter().any(|s| s.id == 8002), "{found:?}");
    // Asked about the old petition's time, the old one comes first.
    let found = ask("2023-02-10");
    assert_eq!(found.first().map(|s| s.id), Some(8002), "{found:?}");
}

#[test]
fn of_two_equal_petitions_the_one_held_by_the_registering_unit_ranks_first() {
    let mut docs = corpus(300);
    let case = |id: i64, unit_path: &str| CaseDoc {
        id,
        case_no: format!("XH-{id:06}"),
        unit_path: unit_path.into(),
        region: "330105".into(),
        received_on: "2026-05-20".into(),
        content: "望湖新村5幢屋顶漏水三个月，维修基金一直批不下来。".into(),
        ..CaseDoc::default()
    };
    // The one held elsewhere has the higher id, which would otherwise break the tie.
    docs.push(case(9001, "/1/2/7/"));
    docs.push(case(9002, "/1/3/"));
    let (_dir, ix) = ready_index(&docs);
    let ask = |unit: Option<&str>| {
        ix.similar(&SimilarRequest {
            content: "望湖新村5幢屋顶漏水，维修基金批不下来".into(),
            region: Some("330105".into()),
            unit: unit.map(str::to_string),
            limit: 5,
            ..SimilarRequest::default()
        })
        .expect("similar")
    };
    // Without a unit the higher id breaks the tie.
    let found = ask(None);
    assert_eq!(found.first().map(|s| s.id), Some(9002), "{found:?}");
    // Registered to unit /1/2/, the case held below it comes first.
    let found = ask(Some("/1/2/"));
    assert_eq!(found.first().map(|s| s.id), Some(9001), "{found:?}");
    assert!(found.iter().any(|s| s.id == 9002), "{found:?}");
    // Registered to /1/3/, the other one.
    let found = ask(Some("/1/3/"));
    assert_eq!(found.first().map(|s| s.id), Some(9002), "{found:?}");
}
