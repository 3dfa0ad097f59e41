CREATE TABLE rm_activity (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	CONSTRAINT pk_rm_activity PRIMARY KEY (code)
);

CREATE TABLE rm_business_relation (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	CONSTRAINT pk_rm_business_relation PRIMARY KEY (code)
);

CREATE TABLE rm_campaign (
	no VARCHAR(20) NOT NULL,
	description VARCHAR(100) NOT NULL,
	starting_date DATE,
	ending_date DATE,
	salesperson_code VARCHAR(20),
	status_code VARCHAR(10),
	global_dimension_1_code VARCHAR(20),
	global_dimension_2_code VARCHAR(20),
	no_series VARCHAR(20),
	activated BOOLEAN NOT NULL,
	last_date_modified DATE,
	version INTEGER NOT NULL,
	CONSTRAINT pk_rm_campaign PRIMARY KEY (no)
);

CREATE TABLE rm_campaign_entry (
	entry_no BIGINT NOT NULL,
	campaign_no VARCHAR(20) NOT NULL,
	date DATE NOT NULL,
	description VARCHAR(100) NOT NULL,
	user_id VARCHAR(50) NOT NULL,
	segment_no VARCHAR(20),
	canceled BOOLEAN NOT NULL,
	salesperson_code VARCHAR(20),
	register_no BIGINT,
	document_type VARCHAR(30) NOT NULL,
	CONSTRAINT pk_rm_campaign_entry PRIMARY KEY (entry_no)
);

CREATE TABLE rm_campaign_pricing_line (
	campaign_no VARCHAR(20) NOT NULL,
	line_key VARCHAR(200) NOT NULL,
	kind VARCHAR(30) NOT NULL,
	asset_type VARCHAR(30) NOT NULL,
	asset_no VARCHAR(20) NOT NULL,
	variant_code VARCHAR(10),
	unit_of_measure_code VARCHAR(10),
	currency_code VARCHAR(10),
	minimum_quantity NUMERIC NOT NULL,
	starting_date DATE,
	ending_date DATE,
	unit_price NUMERIC,
	allow_line_disc BOOLEAN,
	allow_invoice_disc BOOLEAN,
	line_discount_pct NUMERIC,
	CONSTRAINT pk_rm_campaign_pricing_line PRIMARY KEY (campaign_no, line_key)
);

CREATE TABLE rm_campaign_status (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	CONSTRAINT pk_rm_campaign_status PRIMARY KEY (code)
);

CREATE TABLE rm_campaign_target_group (
	type VARCHAR(30) NOT NULL,
	no VARCHAR(20) NOT NULL,
	campaign_no VARCHAR(20) NOT NULL,
	CONSTRAINT pk_rm_campaign_target_group PRIMARY KEY (type, no, campaign_no)
);

CREATE TABLE rm_close_opportunity_code (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	type VARCHAR(30) NOT NULL,
	CONSTRAINT pk_rm_close_opportunity_code PRIMARY KEY (code)
);

CREATE TABLE rm_contact (
	no VARCHAR(20) NOT NULL,
	type VARCHAR(30) NOT NULL,
	name VARCHAR(100) NOT NULL,
	name_2 VARCHAR(50) NOT NULL,
	search_name VARCHAR(100) NOT NULL,
	first_name VARCHAR(30) NOT NULL,
	middle_name VARCHAR(30) NOT NULL,
	surname VARCHAR(30) NOT NULL,
	company_no VARCHAR(20),
	company_name VARCHAR(100) NOT NULL,
	address VARCHAR(100) NOT NULL,
	address_2 VARCHAR(50) NOT NULL,
	post_code VARCHAR(20) NOT NULL,
	city VARCHAR(30) NOT NULL,
	county VARCHAR(30) NOT NULL,
	country_code VARCHAR(10),
	phone_no VARCHAR(30) NOT NULL,
	mobile_phone_no VARCHAR(30) NOT NULL,
	fax_no VARCHAR(30) NOT NULL,
	telex_no VARCHAR(20) NOT NULL,
	telex_answer_back VARCHAR(20) NOT NULL,
	extension_no VARCHAR(30) NOT NULL,
	pager VARCHAR(30) NOT NULL,
	email VARCHAR(80) NOT NULL,
	search_email VARCHAR(80) NOT NULL,
	email_2 VARCHAR(80) NOT NULL,
	home_page VARCHAR(255) NOT NULL,
	salesperson_code VARCHAR(20),
	territory_code VARCHAR(10),
	currency_code VARCHAR(10),
	language_code VARCHAR(10),
	format_region VARCHAR(80) NOT NULL,
	correspondence_type VARCHAR(30) NOT NULL,
	salutation_code VARCHAR(10),
	job_title VARCHAR(30) NOT NULL,
	initials VARCHAR(30) NOT NULL,
	organizational_level_code VARCHAR(10),
	vat_registration_no VARCHAR(20) NOT NULL,
	registration_number VARCHAR(20) NOT NULL,
	exclude_from_segment BOOLEAN NOT NULL,
	external_id VARCHAR(250) NOT NULL,
	privacy_blocked BOOLEAN NOT NULL,
	minor BOOLEAN NOT NULL,
	parental_consent_received BOOLEAN NOT NULL,
	last_modified TIMESTAMP WITH TIME ZONE NOT NULL,
	version INTEGER NOT NULL,
	CONSTRAINT pk_rm_contact PRIMARY KEY (no),
	CONSTRAINT fk_rm_contact_company_no FOREIGN KEY(company_no) REFERENCES rm_contact (no) ON DELETE RESTRICT,
	CONSTRAINT ck_rm_contact_type CHECK (type IN ('Company', 'Person'))
);

CREATE TABLE rm_contact_alias (
	merged_no VARCHAR(20) NOT NULL,
	survivor_no VARCHAR(20) NOT NULL,
	CONSTRAINT pk_rm_contact_alias PRIMARY KEY (merged_no)
);

CREATE TABLE rm_contact_merge (
	merged_no VARCHAR(20) NOT NULL,
	survivor_no VARCHAR(20) NOT NULL,
	occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
	record TEXT NOT NULL,
	CONSTRAINT pk_rm_contact_merge PRIMARY KEY (merged_no)
);

CREATE TABLE rm_contact_separate_pair (
	contact_no VARCHAR(20) NOT NULL,
	other_contact_no VARCHAR(20) NOT NULL,
	CONSTRAINT pk_rm_contact_separate_pair PRIMARY KEY (contact_no, other_contact_no)
);

CREATE TABLE rm_duplicate_key (
	method VARCHAR(10) NOT NULL,
	key VARCHAR(250) NOT NULL,
	contact_no VARCHAR(20) NOT NULL,
	key_count INTEGER NOT NULL,
	CONSTRAINT pk_rm_duplicate_key PRIMARY KEY (method, key, contact_no)
);

CREATE TABLE rm_entry_counter (
	name VARCHAR(30) NOT NULL,
	last_no BIGINT NOT NULL,
	CONSTRAINT pk_rm_entry_counter PRIMARY KEY (name)
);

CREATE TABLE rm_industry_group (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	CONSTRAINT pk_rm_industry_group PRIMARY KEY (code)
);

CREATE TABLE rm_interaction_group (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	CONSTRAINT pk_rm_interaction_group PRIMARY KEY (code)
);

CREATE TABLE rm_interaction_log_entry (
	entry_no BIGINT NOT NULL,
	contact_no VARCHAR(20),
	contact_company_no VARCHAR(20),
	date DATE,
	time_of_interaction TIME WITHOUT TIME ZONE,
	description VARCHAR(100) NOT NULL,
	information_flow VARCHAR(30) NOT NULL,
	initiated_by VARCHAR(30) NOT NULL,
	attachment_no INTEGER,
	cost_lcy NUMERIC NOT NULL,
	duration_min NUMERIC NOT NULL,
	user_id VARCHAR(50) NOT NULL,
	interaction_group_code VARCHAR(10),
	interaction_template_code VARCHAR(10),
	campaign_no VARCHAR(20),
	campaign_entry_no BIGINT,
	campaign_response BOOLEAN NOT NULL,
	campaign_target BOOLEAN NOT NULL,
	segment_no VARCHAR(20),
	evaluation VARCHAR(30) NOT NULL,
	attempt_failed BOOLEAN NOT NULL,
	task_no VARCHAR(20),
	salesperson_code VARCHAR(20),
	delivery_status VARCHAR(30) NOT NULL,
	canceled BOOLEAN NOT NULL,
	correspondence_type VARCHAR(30) NOT NULL,
	contact_alt_address_code VARCHAR(10),
	logged_segment_entry_no BIGINT,
	document_type VARCHAR(30) NOT NULL,
	document_no VARCHAR(20),
	version_no INTEGER NOT NULL,
	doc_no_occurrence INTEGER NOT NULL,
	contact_via VARCHAR(80) NOT NULL,
	send_word_docs_as_attmt BOOLEAN NOT NULL,
	interaction_language_code VARCHAR(10),
	email_logged BOOLEAN NOT NULL,
	subject VARCHAR(100) NOT NULL,
	opportunity_no VARCHAR(20),
	postponed BOOLEAN NOT NULL,
	word_template_code VARCHAR(30),
	merged BOOLEAN NOT NULL,
	modified_word_template INTEGER,
	email_message_id VARCHAR(250) NOT NULL,
	idempotency_key VARCHAR(250),
	payload_fingerprint VARCHAR(64),
	version INTEGER NOT NULL,
	CONSTRAINT pk_rm_interaction_log_entry PRIMARY KEY (entry_no),
	CONSTRAINT ck_rm_interaction_log_entry_date CHECK (postponed OR date IS NOT NULL),
	CONSTRAINT ck_rm_interaction_log_entry_idempotency CHECK ((idempotency_key IS NULL) = (payload_fingerprint IS NULL))
);

CREATE TABLE rm_interaction_template (
	code VARCHAR(10) NOT NULL,
	interaction_group_code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	unit_cost_lcy NUMERIC NOT NULL,
	unit_duration_min NUMERIC NOT NULL,
	information_flow VARCHAR(30) NOT NULL,
	initiated_by VARCHAR(30) NOT NULL,
	campaign_no VARCHAR(20),
	campaign_target BOOLEAN NOT NULL,
	campaign_response BOOLEAN NOT NULL,
	correspondence_type VARCHAR(30) NOT NULL,
	language_code_default VARCHAR(10),
	wizard_action VARCHAR(30) NOT NULL,
	ignore_contact_corres_type BOOLEAN NOT NULL,
	word_template_code VARCHAR(30),
	version INTEGER NOT NULL,
	CONSTRAINT pk_rm_interaction_template PRIMARY KEY (code)
);

CREATE TABLE rm_interaction_template_setup (
	id INTEGER NOT NULL,
	version INTEGER NOT NULL,
	CONSTRAINT pk_rm_interaction_template_setup PRIMARY KEY (id),
	CONSTRAINT ck_rm_interaction_template_setup_singleton CHECK (id = 1)
);

CREATE TABLE rm_interaction_template_setup_template (
	kind VARCHAR(30) NOT NULL,
	template_code VARCHAR(10) NOT NULL,
	CONSTRAINT pk_rm_interaction_template_setup_template PRIMARY KEY (kind)
);

CREATE TABLE rm_job_responsibility (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	CONSTRAINT pk_rm_job_responsibility PRIMARY KEY (code)
);

CREATE TABLE rm_logged_segment (
	entry_no BIGINT NOT NULL,
	segment_no VARCHAR(20) NOT NULL,
	description VARCHAR(100) NOT NULL,
	creation_date DATE NOT NULL,
	user_id VARCHAR(50) NOT NULL,
	canceled BOOLEAN NOT NULL,
	CONSTRAINT pk_rm_logged_segment PRIMARY KEY (entry_no)
);

CREATE TABLE rm_mailing_group (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	CONSTRAINT pk_rm_mailing_group PRIMARY KEY (code)
);

CREATE TABLE rm_number_series (
	code VARCHAR(20) NOT NULL,
	description VARCHAR(100) NOT NULL,
	starting_no VARCHAR(20) NOT NULL,
	ending_no VARCHAR(20),
	warning_no VARCHAR(20),
	increment_by INTEGER NOT NULL,
	last_no_used VARCHAR(20),
	last_date_used DATE,
	manual_nos BOOLEAN NOT NULL,
	default_nos BOOLEAN NOT NULL,
	date_order BOOLEAN NOT NULL,
	version INTEGER NOT NULL,
	CONSTRAINT pk_rm_number_series PRIMARY KEY (code),
	CONSTRAINT ck_rm_number_series_increment_by CHECK (increment_by >= 1)
);

CREATE TABLE rm_opportunity (
	no VARCHAR(20) NOT NULL,
	description VARCHAR(100) NOT NULL,
	salesperson_code VARCHAR(20),
	campaign_no VARCHAR(20),
	contact_no VARCHAR(20),
	contact_company_no VARCHAR(20),
	sales_cycle_code VARCHAR(10),
	creation_date DATE NOT NULL,
	date_closed DATE,
	status VARCHAR(30) NOT NULL,
	priority VARCHAR(30) NOT NULL,
	closed BOOLEAN NOT NULL,
	sales_document_type VARCHAR(30) NOT NULL,
	sales_document_no VARCHAR(20),
	segment_no VARCHAR(20),
	version INTEGER NOT NULL,
	CONSTRAINT pk_rm_opportunity PRIMARY KEY (no)
);

CREATE TABLE rm_opportunity_entry (
	entry_no BIGINT NOT NULL,
	opportunity_no VARCHAR(20) NOT NULL,
	sales_cycle_code VARCHAR(10),
	sales_cycle_stage INTEGER,
	previous_sales_cycle_stage INTEGER,
	contact_no VARCHAR(20),
	contact_company_no VARCHAR(20),
	salesperson_code VARCHAR(20),
	campaign_no VARCHAR(20),
	date_of_change DATE NOT NULL,
	active BOOLEAN NOT NULL,
	date_closed DATE,
	days_open INTEGER NOT NULL,
	action_taken VARCHAR(30) NOT NULL,
	action_type VARCHAR(30) NOT NULL,
	estimated_value NUMERIC NOT NULL,
	calcd_current_value NUMERIC NOT NULL,
	completed_pct NUMERIC NOT NULL,
	chances_of_success_pct NUMERIC NOT NULL,
	probability_pct NUMERIC NOT NULL,
	estimated_close_date DATE,
	close_opportunity_code VARCHAR(10),
	cancel_old_task BOOLEAN NOT NULL,
	CONSTRAINT pk_rm_opportunity_entry PRIMARY KEY (entry_no)
);

CREATE TABLE rm_organizational_level (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	CONSTRAINT pk_rm_organizational_level PRIMARY KEY (code)
);

CREATE TABLE rm_profile_questionnaire (
	code VARCHAR(20) NOT NULL,
	description VARCHAR(250) NOT NULL,
	contact_type VARCHAR(30) NOT NULL,
	business_relation_code VARCHAR(10),
	priority VARCHAR(30) NOT NULL,
	version INTEGER NOT NULL,
	CONSTRAINT pk_rm_profile_questionnaire PRIMARY KEY (code)
);

CREATE TABLE rm_sales_cycle (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	probability_calculation VARCHAR(30) NOT NULL,
	blocked BOOLEAN NOT NULL,
	version INTEGER NOT NULL,
	CONSTRAINT pk_rm_sales_cycle PRIMARY KEY (code)
);

CREATE TABLE rm_salesperson (
	code VARCHAR(20) NOT NULL,
	name VARCHAR(50) NOT NULL,
	job_title VARCHAR(30) NOT NULL,
	commission_pct NUMERIC NOT NULL,
	email VARCHAR(80) NOT NULL,
	email_2 VARCHAR(80) NOT NULL,
	phone_no VARCHAR(30) NOT NULL,
	privacy_blocked BOOLEAN NOT NULL,
	blocked BOOLEAN NOT NULL,
	global_dimension_1_code VARCHAR(20),
	global_dimension_2_code VARCHAR(20),
	version INTEGER NOT NULL,
	CONSTRAINT pk_rm_salesperson PRIMARY KEY (code)
);

CREATE TABLE rm_salutation (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	CONSTRAINT pk_rm_salutation PRIMARY KEY (code)
);

CREATE TABLE rm_saved_criteria (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	user_id VARCHAR(50) NOT NULL,
	version INTEGER NOT NULL,
	CONSTRAINT pk_rm_saved_criteria PRIMARY KEY (code)
);

CREATE TABLE rm_segment (
	no VARCHAR(20) NOT NULL,
	description VARCHAR(100) NOT NULL,
	campaign_no VARCHAR(20),
	salesperson_code VARCHAR(20),
	correspondence_type_default VARCHAR(30) NOT NULL,
	interaction_template_code VARCHAR(10),
	interaction_group_code VARCHAR(10),
	unit_cost_lcy NUMERIC NOT NULL,
	unit_duration_min NUMERIC NOT NULL,
	date DATE NOT NULL,
	campaign_target BOOLEAN NOT NULL,
	campaign_response BOOLEAN NOT NULL,
	information_flow VARCHAR(30) NOT NULL,
	initiated_by VARCHAR(30) NOT NULL,
	language_code_default VARCHAR(10),
	send_word_docs_as_attmt BOOLEAN NOT NULL,
	ignore_contact_corres_type BOOLEAN NOT NULL,
	subject_default VARCHAR(100) NOT NULL,
	word_template_code VARCHAR(30),
	version INTEGER NOT NULL,
	CONSTRAINT pk_rm_segment PRIMARY KEY (no)
);

CREATE TABLE rm_setup (
	id INTEGER NOT NULL,
	contact_nos VARCHAR(20),
	campaign_nos VARCHAR(20),
	segment_nos VARCHAR(20),
	task_nos VARCHAR(20),
	opportunity_nos VARCHAR(20),
	bus_rel_code_for_customers VARCHAR(10),
	bus_rel_code_for_vendors VARCHAR(10),
	bus_rel_code_for_bank_accounts VARCHAR(10),
	bus_rel_code_for_employees VARCHAR(10),
	attachment_storage_type VARCHAR(30) NOT NULL,
	attachment_storage_location VARCHAR(250) NOT NULL,
	mergefield_language_id INTEGER NOT NULL,
	inherit_salesperson_code BOOLEAN NOT NULL,
	inherit_territory_code BOOLEAN NOT NULL,
	inherit_country_code BOOLEAN NOT NULL,
	inherit_language_code BOOLEAN NOT NULL,
	inherit_format_region BOOLEAN NOT NULL,
	inherit_address_details BOOLEAN NOT NULL,
	inherit_communication_details BOOLEAN NOT NULL,
	default_salesperson_code VARCHAR(20),
	default_territory_code VARCHAR(10),
	default_country_code VARCHAR(10),
	default_language_code VARCHAR(10),
	default_format_region VARCHAR(80) NOT NULL,
	default_sales_cycle_code VARCHAR(10),
	default_company_salutation_code VARCHAR(10),
	default_person_salutation_code VARCHAR(10),
	default_correspondence_type VARCHAR(30) NOT NULL,
	default_task_date_formula VARCHAR(64),
	autosearch_for_duplicates BOOLEAN NOT NULL,
	maintain_dupl_search_strings BOOLEAN NOT NULL,
	search_hit_pct INTEGER NOT NULL,
	own_email_domains VARCHAR(250) DEFAULT '' NOT NULL,
	version INTEGER NOT NULL,
	CONSTRAINT pk_rm_setup PRIMARY KEY (id),
	CONSTRAINT ck_rm_setup_singleton CHECK (id = 1),
	CONSTRAINT ck_rm_setup_search_hit_pct CHECK (search_hit_pct BETWEEN 1 AND 100)
);

CREATE TABLE rm_task (
	no VARCHAR(20) NOT NULL,
	team_code VARCHAR(10),
	salesperson_code VARCHAR(20),
	campaign_no VARCHAR(20),
	contact_no VARCHAR(20),
	contact_company_no VARCHAR(20),
	opportunity_no VARCHAR(20),
	opportunity_entry_no BIGINT,
	segment_no VARCHAR(20),
	type VARCHAR(30) NOT NULL,
	date DATE NOT NULL,
	start_time TIME WITHOUT TIME ZONE NOT NULL,
	duration BIGINT NOT NULL,
	all_day_event BOOLEAN NOT NULL,
	status VARCHAR(30) NOT NULL,
	priority VARCHAR(30) NOT NULL,
	description VARCHAR(100) NOT NULL,
	location VARCHAR(100) NOT NULL,
	closed BOOLEAN NOT NULL,
	date_closed DATE,
	canceled BOOLEAN NOT NULL,
	completed_by VARCHAR(20),
	recurring BOOLEAN NOT NULL,
	recurring_date_interval VARCHAR(64),
	calc_due_date_from VARCHAR(30) NOT NULL,
	system_task_type VARCHAR(30) NOT NULL,
	organizer_task_no VARCHAR(20),
	interaction_template_code VARCHAR(10),
	language_code VARCHAR(10),
	attachment_no INTEGER,
	subject VARCHAR(100) NOT NULL,
	unit_cost_lcy NUMERIC NOT NULL,
	unit_duration_min NUMERIC NOT NULL,
	successor_no VARCHAR(20),
	version INTEGER NOT NULL,
	CONSTRAINT pk_rm_task PRIMARY KEY (no),
	CONSTRAINT ck_rm_task_assigned CHECK (salesperson_code IS NOT NULL OR team_code IS NOT NULL),
	CONSTRAINT ck_rm_task_duration CHECK (duration BETWEEN 60000 AND 315360000000),
	CONSTRAINT ck_rm_task_canceled CHECK (closed OR NOT canceled)
);

CREATE TABLE rm_team (
	code VARCHAR(10) NOT NULL,
	name VARCHAR(50) NOT NULL,
	version INTEGER NOT NULL,
	CONSTRAINT pk_rm_team PRIMARY KEY (code)
);

CREATE TABLE rm_territory (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	CONSTRAINT pk_rm_territory PRIMARY KEY (code)
);

CREATE TABLE rm_web_source (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	url VARCHAR(250) NOT NULL,
	CONSTRAINT pk_rm_web_source PRIMARY KEY (code)
);

CREATE TABLE rm_activity_step (
	activity_code VARCHAR(10) NOT NULL,
	step_no INTEGER NOT NULL,
	type VARCHAR(30) NOT NULL,
	description VARCHAR(100) NOT NULL,
	priority VARCHAR(30) NOT NULL,
	date_formula VARCHAR(64) NOT NULL,
	CONSTRAINT pk_rm_activity_step PRIMARY KEY (activity_code, step_no),
	CONSTRAINT fk_rm_activity_step_activity_code FOREIGN KEY(activity_code) REFERENCES rm_activity (code) ON DELETE CASCADE
);

CREATE TABLE rm_contact_alternative_address (
	contact_no VARCHAR(20) NOT NULL,
	code VARCHAR(10) NOT NULL,
	company_name VARCHAR(100) NOT NULL,
	company_name_2 VARCHAR(50) NOT NULL,
	address VARCHAR(100) NOT NULL,
	address_2 VARCHAR(50) NOT NULL,
	post_code VARCHAR(20) NOT NULL,
	city VARCHAR(30) NOT NULL,
	county VARCHAR(30) NOT NULL,
	country_code VARCHAR(10),
	phone_no VARCHAR(30) NOT NULL,
	telex_no VARCHAR(20) NOT NULL,
	extension_no VARCHAR(30) NOT NULL,
	mobile_phone_no VARCHAR(30) NOT NULL,
	pager VARCHAR(30) NOT NULL,
	email VARCHAR(80) NOT NULL,
	search_email VARCHAR(80) NOT NULL,
	home_page VARCHAR(255) NOT NULL,
	fax_no VARCHAR(30) NOT NULL,
	telex_answer_back VARCHAR(20) NOT NULL,
	CONSTRAINT pk_rm_contact_alternative_address PRIMARY KEY (contact_no, code),
	CONSTRAINT fk_rm_contact_alternative_address_contact_no FOREIGN KEY(contact_no) REFERENCES rm_contact (no) ON DELETE CASCADE
);

CREATE TABLE rm_contact_business_relation (
	contact_no VARCHAR(20) NOT NULL,
	code VARCHAR(10) NOT NULL,
	link_to_table VARCHAR(20) DEFAULT '' NOT NULL,
	no VARCHAR(20) DEFAULT '' NOT NULL,
	CONSTRAINT pk_rm_contact_business_relation PRIMARY KEY (contact_no, code),
	CONSTRAINT fk_rm_contact_business_relation_contact_no FOREIGN KEY(contact_no) REFERENCES rm_contact (no) ON DELETE CASCADE
);

CREATE TABLE rm_contact_industry_group (
	contact_no VARCHAR(20) NOT NULL,
	code VARCHAR(10) NOT NULL,
	CONSTRAINT pk_rm_contact_industry_group PRIMARY KEY (contact_no, code),
	CONSTRAINT fk_rm_contact_industry_group_contact_no FOREIGN KEY(contact_no) REFERENCES rm_contact (no) ON DELETE CASCADE
);

CREATE TABLE rm_contact_job_responsibility (
	contact_no VARCHAR(20) NOT NULL,
	code VARCHAR(10) NOT NULL,
	CONSTRAINT pk_rm_contact_job_responsibility PRIMARY KEY (contact_no, code),
	CONSTRAINT fk_rm_contact_job_responsibility_contact_no FOREIGN KEY(contact_no) REFERENCES rm_contact (no) ON DELETE CASCADE
);

CREATE TABLE rm_contact_mailing_group (
	contact_no VARCHAR(20) NOT NULL,
	code VARCHAR(10) NOT NULL,
	CONSTRAINT pk_rm_contact_mailing_group PRIMARY KEY (contact_no, code),
	CONSTRAINT fk_rm_contact_mailing_group_contact_no FOREIGN KEY(contact_no) REFERENCES rm_contact (no) ON DELETE CASCADE
);

CREATE TABLE rm_contact_web_source (
	contact_no VARCHAR(20) NOT NULL,
	code VARCHAR(10) NOT NULL,
	search_word VARCHAR(30) NOT NULL,
	CONSTRAINT pk_rm_contact_web_source PRIMARY KEY (contact_no, code),
	CONSTRAINT fk_rm_contact_web_source_contact_no FOREIGN KEY(contact_no) REFERENCES rm_contact (no) ON DELETE CASCADE
);

CREATE TABLE rm_interaction_template_language (
	template_code VARCHAR(10) NOT NULL,
	language_code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	attachment_no INTEGER,
	word_template_code VARCHAR(30),
	custom_layout_code VARCHAR(20),
	report_layout_name VARCHAR(250) NOT NULL,
	CONSTRAINT pk_rm_interaction_template_language PRIMARY KEY (template_code, language_code),
	CONSTRAINT fk_rm_interaction_template_language_template_code FOREIGN KEY(template_code) REFERENCES rm_interaction_template (code) ON DELETE CASCADE
);

CREATE TABLE rm_profile_line (
	questionnaire_code VARCHAR(20) NOT NULL,
	line_no INTEGER NOT NULL,
	type VARCHAR(30) NOT NULL,
	description VARCHAR(250) NOT NULL,
	multiple_answers BOOLEAN,
	auto_contact_classification BOOLEAN,
	customer_class_field VARCHAR(50),
	vendor_class_field VARCHAR(50),
	contact_class_field VARCHAR(50),
	starting_date_formula VARCHAR(64),
	ending_date_formula VARCHAR(64),
	classification_method VARCHAR(30),
	sorting_method VARCHAR(30),
	no_of_decimals INTEGER,
	min_pct_questions_answered NUMERIC,
	from_value NUMERIC,
	to_value NUMERIC,
	priority VARCHAR(30),
	CONSTRAINT pk_rm_profile_line PRIMARY KEY (questionnaire_code, line_no),
	CONSTRAINT fk_rm_profile_line_questionnaire_code FOREIGN KEY(questionnaire_code) REFERENCES rm_profile_questionnaire (code) ON DELETE CASCADE,
	CONSTRAINT ck_rm_profile_line_type CHECK (type IN ('Question', 'Answer')),
	CONSTRAINT ck_rm_profile_line_question CHECK (type <> 'Question' OR (multiple_answers IS NOT NULL AND auto_contact_classification IS NOT NULL AND customer_class_field IS NOT NULL AND vendor_class_field IS NOT NULL AND contact_class_field IS NOT NULL AND classification_method IS NOT NULL AND sorting_method IS NOT NULL AND no_of_decimals IS NOT NULL AND min_pct_questions_answered IS NOT NULL)),
	CONSTRAINT ck_rm_profile_line_answer CHECK (type <> 'Answer' OR (from_value IS NOT NULL AND to_value IS NOT NULL AND priority IS NOT NULL)),
	CONSTRAINT ck_rm_profile_line_one_customer_class_field CHECK (customer_class_field = '' OR (vendor_class_field = '' AND contact_class_field = '')),
	CONSTRAINT ck_rm_profile_line_one_vendor_class_field CHECK (vendor_class_field = '' OR contact_class_field = '')
);

CREATE TABLE rm_sales_cycle_stage (
	sales_cycle_code VARCHAR(10) NOT NULL,
	stage INTEGER NOT NULL,
	description VARCHAR(100) NOT NULL,
	completed_pct NUMERIC NOT NULL,
	chances_of_success_pct NUMERIC NOT NULL,
	activity_code VARCHAR(10),
	quote_required BOOLEAN NOT NULL,
	allow_skip BOOLEAN NOT NULL,
	date_formula VARCHAR(64) NOT NULL,
	CONSTRAINT pk_rm_sales_cycle_stage PRIMARY KEY (sales_cycle_code, stage),
	CONSTRAINT fk_rm_sales_cycle_stage_sales_cycle_code FOREIGN KEY(sales_cycle_code) REFERENCES rm_sales_cycle (code) ON DELETE CASCADE
);

CREATE TABLE rm_salutation_formula (
	salutation_code VARCHAR(10) NOT NULL,
	language_code VARCHAR(10) NOT NULL,
	salutation_type VARCHAR(30) NOT NULL,
	salutation VARCHAR(50) NOT NULL,
	name_1 VARCHAR(30) NOT NULL,
	name_2 VARCHAR(30) NOT NULL,
	name_3 VARCHAR(30) NOT NULL,
	name_4 VARCHAR(30) NOT NULL,
	name_5 VARCHAR(30) NOT NULL,
	CONSTRAINT pk_rm_salutation_formula PRIMARY KEY (salutation_code, language_code, salutation_type),
	CONSTRAINT fk_rm_salutation_formula_salutation_code FOREIGN KEY(salutation_code) REFERENCES rm_salutation (code) ON DELETE RESTRICT
);

CREATE TABLE rm_saved_criteria_action (
	code VARCHAR(10) NOT NULL,
	number INTEGER NOT NULL,
	action VARCHAR(30) NOT NULL,
	criteria TEXT NOT NULL,
	allow_existing_contacts BOOLEAN NOT NULL,
	expand_companies BOOLEAN NOT NULL,
	allow_related_companies BOOLEAN NOT NULL,
	ignore_exclusion BOOLEAN NOT NULL,
	entire_companies BOOLEAN NOT NULL,
	manual BOOLEAN NOT NULL,
	CONSTRAINT pk_rm_saved_criteria_action PRIMARY KEY (code, number),
	CONSTRAINT fk_rm_saved_criteria_action_code FOREIGN KEY(code) REFERENCES rm_saved_criteria (code) ON DELETE CASCADE
);

CREATE TABLE rm_segment_action (
	segment_no VARCHAR(20) NOT NULL,
	number INTEGER NOT NULL,
	action VARCHAR(30) NOT NULL,
	criteria TEXT NOT NULL,
	allow_existing_contacts BOOLEAN NOT NULL,
	expand_companies BOOLEAN NOT NULL,
	allow_related_companies BOOLEAN NOT NULL,
	ignore_exclusion BOOLEAN NOT NULL,
	entire_companies BOOLEAN NOT NULL,
	manual BOOLEAN NOT NULL,
	CONSTRAINT pk_rm_segment_action PRIMARY KEY (segment_no, number),
	CONSTRAINT fk_rm_segment_action_segment_no FOREIGN KEY(segment_no) REFERENCES rm_segment (no) ON DELETE CASCADE
);

CREATE TABLE rm_segment_history (
	segment_no VARCHAR(20) NOT NULL,
	action_no INTEGER NOT NULL,
	line_no INTEGER NOT NULL,
	action_taken VARCHAR(30) NOT NULL,
	contact_no VARCHAR(20) NOT NULL,
	contact_company_no VARCHAR(20),
	description VARCHAR(100) NOT NULL,
	campaign_no VARCHAR(20),
	salesperson_code VARCHAR(20),
	correspondence_type VARCHAR(30) NOT NULL,
	interaction_template_code VARCHAR(10),
	interaction_group_code VARCHAR(10),
	cost_lcy NUMERIC NOT NULL,
	duration_min NUMERIC NOT NULL,
	language_code VARCHAR(10),
	date DATE,
	campaign_target BOOLEAN NOT NULL,
	campaign_response BOOLEAN NOT NULL,
	information_flow VARCHAR(30) NOT NULL,
	initiated_by VARCHAR(30) NOT NULL,
	contact_alt_address_code VARCHAR(10),
	send_word_docs_as_attmt BOOLEAN NOT NULL,
	word_template_code VARCHAR(30),
	subject VARCHAR(100) NOT NULL,
	CONSTRAINT pk_rm_segment_history PRIMARY KEY (segment_no, action_no, line_no, action_taken),
	CONSTRAINT fk_rm_segment_history_segment_no FOREIGN KEY(segment_no) REFERENCES rm_segment (no) ON DELETE CASCADE
);

CREATE TABLE rm_segment_line (
	segment_no VARCHAR(20) NOT NULL,
	line_no INTEGER NOT NULL,
	contact_no VARCHAR(20) NOT NULL,
	contact_company_no VARCHAR(20),
	description VARCHAR(100) NOT NULL,
	campaign_no VARCHAR(20),
	salesperson_code VARCHAR(20),
	correspondence_type VARCHAR(30) NOT NULL,
	interaction_template_code VARCHAR(10),
	interaction_group_code VARCHAR(10),
	cost_lcy NUMERIC NOT NULL,
	duration_min NUMERIC NOT NULL,
	language_code VARCHAR(10),
	date DATE,
	campaign_target BOOLEAN NOT NULL,
	campaign_response BOOLEAN NOT NULL,
	information_flow VARCHAR(30) NOT NULL,
	initiated_by VARCHAR(30) NOT NULL,
	contact_alt_address_code VARCHAR(10),
	send_word_docs_as_attmt BOOLEAN NOT NULL,
	word_template_code VARCHAR(30),
	subject VARCHAR(100) NOT NULL,
	CONSTRAINT pk_rm_segment_line PRIMARY KEY (segment_no, line_no),
	CONSTRAINT fk_rm_segment_line_segment_no FOREIGN KEY(segment_no) REFERENCES rm_segment (no) ON DELETE CASCADE
);

CREATE TABLE rm_task_attendee (
	task_no VARCHAR(20) NOT NULL,
	line_no INTEGER NOT NULL,
	attendance_type VARCHAR(30) NOT NULL,
	attendee_type VARCHAR(30) NOT NULL,
	attendee_no VARCHAR(20) NOT NULL,
	attendee_name VARCHAR(100) NOT NULL,
	send_invitation BOOLEAN NOT NULL,
	invitation_response VARCHAR(30) NOT NULL,
	invitation_sent BOOLEAN NOT NULL,
	CONSTRAINT pk_rm_task_attendee PRIMARY KEY (task_no, line_no),
	CONSTRAINT fk_rm_task_attendee_task_no FOREIGN KEY(task_no) REFERENCES rm_task (no) ON DELETE CASCADE
);

CREATE TABLE rm_team_salesperson (
	team_code VARCHAR(10) NOT NULL,
	salesperson_code VARCHAR(20) NOT NULL,
	CONSTRAINT pk_rm_team_salesperson PRIMARY KEY (team_code, salesperson_code),
	CONSTRAINT fk_rm_team_salesperson_team_code FOREIGN KEY(team_code) REFERENCES rm_team (code) ON DELETE CASCADE
);

CREATE TABLE rm_contact_alternative_address_period (
	contact_no VARCHAR(20) NOT NULL,
	starting_date DATE NOT NULL,
	address_code VARCHAR(10) NOT NULL,
	ending_date DATE,
	CONSTRAINT pk_rm_contact_alternative_address_period PRIMARY KEY (contact_no, starting_date),
	CONSTRAINT fk_rm_contact_alternative_address_period_contact_no FOREIGN KEY(contact_no, address_code) REFERENCES rm_contact_alternative_address (contact_no, code) ON DELETE CASCADE,
	CONSTRAINT ck_rm_contact_alternative_address_period_ending_date CHECK (ending_date IS NULL OR ending_date >= starting_date)
);

CREATE TABLE rm_contact_profile_answer (
	contact_no VARCHAR(20) NOT NULL,
	questionnaire_code VARCHAR(20) NOT NULL,
	line_no INTEGER NOT NULL,
	last_date_updated DATE NOT NULL,
	contact_company_no VARCHAR(20),
	questionnaire_priority VARCHAR(30) NOT NULL,
	answer_priority VARCHAR(30) NOT NULL,
	questions_answered_pct NUMERIC NOT NULL,
	value_text VARCHAR(250) NOT NULL,
	CONSTRAINT pk_rm_contact_profile_answer PRIMARY KEY (contact_no, questionnaire_code, line_no),
	CONSTRAINT fk_rm_contact_profile_answer_contact_no FOREIGN KEY(contact_no) REFERENCES rm_contact (no) ON DELETE RESTRICT,
	CONSTRAINT fk_rm_contact_profile_answer_questionnaire_code FOREIGN KEY(questionnaire_code, line_no) REFERENCES rm_profile_line (questionnaire_code, line_no) ON DELETE RESTRICT
);

CREATE TABLE rm_profile_rating_point (
	questionnaire_code VARCHAR(20) NOT NULL,
	question_line_no INTEGER NOT NULL,
	answer_questionnaire_code VARCHAR(20) NOT NULL,
	answer_line_no INTEGER NOT NULL,
	points NUMERIC NOT NULL,
	position INTEGER NOT NULL,
	CONSTRAINT pk_rm_profile_rating_point PRIMARY KEY (questionnaire_code, question_line_no, answer_questionnaire_code, answer_line_no),
	CONSTRAINT fk_rm_profile_rating_point_questionnaire_code FOREIGN KEY(questionnaire_code, question_line_no) REFERENCES rm_profile_line (questionnaire_code, line_no) ON DELETE CASCADE
);

