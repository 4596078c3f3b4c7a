//! The post-activity questionnaire: participants' feedback on a seminar, training or meeting,
//! answered anonymously, often on a phone, in English, French or Arabic (MedNET). Short on
//! purpose. French puts a no-break space before `?` and `:`.

use crate::evaluation::form::{Choice, Form, Question, QuestionKind as K, YES};
use crate::evaluation::text::Localized;

fn t(en: &str, fr: &str, ar: &str) -> Localized {
    Localized::tri(en, fr, ar)
}

fn option(id: &str, en: &str, fr: &str, ar: &str) -> Choice {
    Choice::new(id, t(en, fr, ar))
}

pub(super) fn form() -> Form {
    let questions = vec![
        Question::new(
            "overall",
            t("Overall, how would you rate this activity?", "Dans l’ensemble, comment évaluez-vous cette activité\u{a0}?", "بشكل عام، كيف تقيّم هذا النشاط؟"),
            K::Rating { low_label: t("Very poor", "Très insuffisant", "ضعيف جدًا"), high_label: t("Excellent", "Excellent", "ممتاز") },
        )
        .required(),
        Question::new(
            "relevance",
            t(
                "How relevant was the activity to your work?",
                "L’activité était-elle pertinente pour votre travail\u{a0}?",
                "ما مدى صلة هذا النشاط بعملك؟",
            ),
            K::Rating { low_label: t("Not relevant", "Pas pertinente", "غير ذي صلة"), high_label: t("Very relevant", "Très pertinente", "وثيق الصلة جدًا") },
        )
        .required(),
        Question::new(
            "priorities",
            t(
                "Which of the work programme’s thematic priorities did the activity help you with?",
                "Pour quelles priorités thématiques du programme de travail l’activité vous a-t-elle été utile\u{a0}?",
                "في أيّ من الأولويات المواضيعية لبرنامج العمل أفادك هذا النشاط؟",
            ),
            K::MultipleChoice {
                options: vec![
                    option(
                        "good-governance",
                        "Good governance: human rights and coherent drug policies, their costs and consequences",
                        "Bonne gouvernance\u{a0}: droits humains et politiques cohérentes en matière de drogues, leurs coûts et leurs conséquences",
                        "الحوكمة الرشيدة: حقوق الإنسان وتماسك سياسات المخدرات، وتكاليفها وعواقبها",
                    ),
                    option(
                        "international-drug-policy",
                        "International drug policy: the Sustainable Development Goals, access to controlled medicines, target groups, gender",
                        "Politique internationale en matière de drogues\u{a0}: objectifs de développement durable, accès aux médicaments placés sous contrôle, groupes cibles, genre",
                        "السياسة الدولية للمخدرات: أهداف التنمية المستدامة، وإتاحة الأدوية الخاضعة للمراقبة، والفئات المستهدفة، والبعد الجنساني",
                    ),
                    option(
                        "new-challenges",
                        "New challenges: new psychoactive substances, stimulants, online risks, refugees and migrants, cybercrime, artificial intelligence",
                        "Nouveaux défis\u{a0}: nouvelles substances psychoactives, stimulants, risques en ligne, réfugiés et migrants, cybercriminalité, intelligence artificielle",
                        "التحديات الجديدة: المؤثرات النفسانية الجديدة، والمنشطات، ومخاطر الإنترنت، واللاجئون والمهاجرون، والجرائم الإلكترونية، والذكاء الاصطناعي",
                    ),
                ],
                max: None,
            },
        )
        .help(t("Choose all that apply.", "Cochez toutes les réponses qui conviennent.", "اختر كل ما ينطبق.")),
        Question::new(
            "most-useful",
            t("What was most useful to you?", "Qu’est-ce qui vous a été le plus utile\u{a0}?", "ما الذي كان أكثر فائدة لك؟"),
            K::MultipleChoice {
                options: vec![
                    option("presentations", "Presentations by experts", "Les présentations des experts", "عروض الخبراء"),
                    option("exchange", "Exchanges with colleagues from other countries", "Les échanges avec des collègues d’autres pays", "تبادل الخبرات مع زملاء من بلدان أخرى"),
                    option("practice", "Examples of practice", "Les exemples de pratiques", "أمثلة من الممارسة العملية"),
                    option("materials", "Materials and tools", "Les documents et les outils", "المواد والأدوات"),
                    option("contacts", "Contacts for future co-operation", "Les contacts pour une coopération future", "علاقات للتعاون في المستقبل"),
                ],
                max: Some(2),
            },
        )
        .help(t("Choose at most two.", "Choisissez-en deux au plus.", "اختر خيارين على الأكثر.")),
        Question::new(
            "organisation",
            t("How well was the activity organised?", "L’activité était-elle bien organisée\u{a0}?", "ما مدى جودة تنظيم النشاط؟"),
            K::SingleChoice {
                options: vec![
                    option("very-well", "Very well", "Très bien", "جيد جدًا"),
                    option("well", "Well", "Bien", "جيد"),
                    option("poorly", "Poorly", "Mal", "سيئ"),
                ],
            },
        ),
        Question::new(
            "organisation-problems",
            t("What went wrong with the organisation?", "Qu’est-ce qui n’a pas fonctionné dans l’organisation\u{a0}?", "ما الذي لم ينجح في التنظيم؟"),
            K::long_text(),
        )
        .when("organisation", "poorly"),
        Question::new(
            "use-in-work",
            t(
                "Will you use what you learnt in your work?",
                "Utiliserez-vous dans votre travail ce que vous avez appris\u{a0}?",
                "هل ستستخدم ما تعلّمته في عملك؟",
            ),
            K::YesNo,
        )
        .required(),
        Question::new("use-how", t("How will you use it?", "Comment l’utiliserez-vous\u{a0}?", "كيف ستستخدمه؟"), K::long_text()).when("use-in-work", YES),
        Question::new(
            "recommend",
            t(
                "Would you recommend this activity to a colleague?",
                "Recommanderiez-vous cette activité à un ou une collègue\u{a0}?",
                "هل توصي زميلًا لك بهذا النشاط؟",
            ),
            K::YesNo,
        ),
        Question::new(
            "change",
            t("What should we change next time?", "Que devrions-nous changer la prochaine fois\u{a0}?", "ما الذي ينبغي أن نغيّره في المرة القادمة؟"),
            K::long_text(),
        ),
        Question::new(
            "field",
            t("Which best describes your work?", "Qu’est-ce qui décrit le mieux votre travail\u{a0}?", "ما الوصف الأنسب لعملك؟"),
            K::SingleChoice {
                options: vec![
                    option("policy", "Policy making or administration", "Élaboration des politiques ou administration", "صنع السياسات أو الإدارة"),
                    option("health-social", "Health or social services", "Services de santé ou services sociaux", "الخدمات الصحية أو الاجتماعية"),
                    option("law-enforcement", "Law enforcement or justice", "Services répressifs ou justice", "إنفاذ القانون أو القضاء"),
                    option("research", "Research or teaching", "Recherche ou enseignement", "البحث أو التدريس"),
                    option("civil-society", "Civil society", "Société civile", "المجتمع المدني"),
                    option("other", "Other", "Autre", "غير ذلك"),
                ],
            },
        )
        .help(t("Optional. Your answers stay anonymous.", "Facultatif. Vos réponses restent anonymes.", "اختياري. تبقى إجاباتك مجهولة الهوية.")),
    ];
    Form { questions }
}
